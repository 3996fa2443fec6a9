#!/usr/bin/python3
"""The NumPy peer of `npm run bench`: the same full re-margin of the same synthetic venue, written
the way a quant team would vectorise it (linear positions collapsed to a net delta per
(account, underlying) group, option scenario vectors once per listed instrument and a gather per
option position, segment sums per account and per group), on the bytes
bench/run.ts wrote (memory-mapped), plus Black-76 price and Greeks for the same 1,000,000 options
with SciPy. Prints one JSON object: medians in ms and the totals to check against the kernel.

Usage: /usr/bin/python3 bench/numpy_remargin.py META.json [repeats]
"""
import json
import sys
import time

import numpy as np
import scipy
from scipy.special import ndtr

SQRT_2PI = np.sqrt(2.0 * np.pi)


def load(meta_path):
    with open(meta_path) as f:
        meta = json.load(f)
    arrays = {}
    for name, spec in meta["arrays"].items():
        arrays[name] = np.memmap(meta["data"], dtype=spec["dtype"], mode="r", offset=spec["offset"], shape=(spec["length"],))
    return meta, arrays


def black76(is_call, f, k, t, vol):
    """Black-76 undiscounted (rate 0) price, elementwise; intrinsic where vol·√T = 0."""
    sd = vol * np.sqrt(t)
    with np.errstate(divide="ignore", invalid="ignore"):
        d1 = np.log(f / k) / sd + 0.5 * sd
    d2 = d1 - sd
    call = f * ndtr(d1) - k * ndtr(d2)
    put = k * ndtr(-d2) - f * ndtr(-d1)
    price = np.where(is_call, call, put)
    intrinsic = np.where(is_call, np.maximum(f - k, 0.0), np.maximum(k - f, 0.0))
    return np.where(sd > 0, price, intrinsic)


def grid_moves(a):
    """The price move of every grid point, vol-shock-major (the layout of the option vectors)."""
    return np.tile(np.asarray(a["moves"]), len(a["vol_shocks"]))


def scenario_deltas(meta, a):
    """Each option's mark move at every grid point (instrument × scenario; zero rows for
    non-options, whose move is their mark times the grid move), vol-shock-major."""
    moves = np.asarray(a["moves"])
    shocks = np.asarray(a["vol_shocks"])
    m = np.tile(moves, len(shocks))
    v = np.repeat(shocks, len(moves))
    is_opt = np.asarray(a["kind"]) == 3
    o = np.flatnonzero(is_opt)
    shifted_index = np.asarray(a["index"])[o][:, None] * (1.0 + m)[None, :]
    model = black76(
        (np.asarray(a["is_call"])[o] == 1)[:, None],
        shifted_index,
        np.asarray(a["strike"])[o][:, None],
        np.asarray(a["expiry_years"])[o][:, None],
        np.asarray(a["vol"])[o][:, None] * (1.0 + v)[None, :],
    )
    mark = np.asarray(a["mark"])[o][:, None]
    model_mark = np.asarray(a["model_mark"])[o][:, None]
    deltas = np.zeros((len(is_opt), len(m)))
    deltas[o] = np.maximum(0.0, mark + (model - model_mark)) - mark
    return deltas


def remargin(meta, a, scen):
    """Equity, IM, MM per account (vectorised over positions, segment sums per account)."""
    n_acc = meta["accounts"]
    count = np.asarray(a["pos_count"])
    acct = np.repeat(np.arange(n_acc, dtype=np.int64), count)
    ins = np.asarray(a["pos_instrument"])
    q = np.asarray(a["pos_size"])
    e = np.asarray(a["pos_entry"])
    kind = np.asarray(a["kind"])[ins]
    c = np.asarray(a["contract_size"])[ins]
    mark = np.asarray(a["mark"])[ins]
    index = np.asarray(a["index"])[ins]
    is_opt = kind == 3
    base = c * (q * mark - q * e)
    units = np.abs(q) * c
    notional = units * np.where(is_opt, index, mark)
    im = np.asarray(a["f_im"])[ins] * notional
    mm = np.asarray(a["f_mm"])[ins] * notional
    # Option rules: a long pays at most its value, a short at least the minimum.
    value = units * mark
    strike = np.asarray(a["strike"])[ins]
    otm = units * np.where(np.asarray(a["is_call"])[ins] == 1, np.maximum(0.0, strike - index), np.maximum(0.0, index - strike))
    und = np.asarray(a["underlying"])[ins]
    min_f = np.asarray(a["short_min"])[und] * notional
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(im > 0, mm / im, 0.0)
    long_opt = is_opt & (q > 0)
    short_opt = is_opt & (q < 0)
    im_o = np.where(long_opt, np.minimum(value, im), np.where(short_opt, np.maximum(im - otm, min_f), im))
    mm_o = np.where(long_opt, np.minimum(value, mm), np.where(short_opt, np.maximum(mm - otm, min_f * ratio), mm))
    equity = np.asarray(a["usd"]) + np.bincount(acct, weights=base, minlength=n_acc)
    portfolio_pos = np.asarray(a["mode"])[acct] == 2
    im_acc = np.bincount(acct, weights=np.where(portfolio_pos, 0.0, im_o), minlength=n_acc)
    mm_acc = np.bincount(acct, weights=np.where(portfolio_pos, 0.0, mm_o), minlength=n_acc)

    # Portfolio accounts, per (account, underlying) group (positions of a group are contiguous:
    # market ids sort by underlying first): the linear positions collapse to a net delta
    # D = Σ c·q·mark, whose P&L is D·move at every grid point; each option adds c·q times its
    # instrument's scenario vector (one gather per option position), summed per group.
    p = np.flatnonzero(portfolio_pos)
    if len(p) > 0:
        key = acct[p] * meta["underlyings"] + und[p]
        new_group = np.concatenate(([True], key[1:] != key[:-1]))
        starts = np.flatnonzero(new_group)
        gid = np.cumsum(new_group) - 1
        weight = c[p] * q[p]
        opt_p = is_opt[p]
        lin = np.flatnonzero(~opt_p)
        net_delta = np.bincount(gid[lin], weights=weight[lin] * mark[p][lin], minlength=len(starts))
        g_pnl = net_delta[:, None] * grid_moves(a)[None, :]
        o = np.flatnonzero(opt_p)
        if len(o) > 0:
            og = gid[o]
            o_starts = np.concatenate(([0], np.flatnonzero(og[1:] != og[:-1]) + 1))
            g_pnl[og[o_starts]] += np.add.reduceat(weight[o][:, None] * scen[ins[p][o]], o_starts, axis=0)
        g_notional = np.add.reduceat(notional[p], starts)
        loss = -g_pnl
        loss = np.where(loss > (1e-12 * g_notional)[:, None], loss, 0.0)
        worst = np.maximum(0.0, loss.max(axis=1))
        short_min = np.add.reduceat(np.where(short_opt[p], min_f[p], 0.0), starts)
        cap = np.add.reduceat(im_o[p], starts)
        r = np.minimum(np.maximum(worst, short_min), cap)
        g_acct = acct[p][starts]
        share = np.asarray(a["maintenance_share"])[und[p][starts]]
        s1 = np.bincount(g_acct, weights=r, minlength=n_acc)
        s2 = np.bincount(g_acct, weights=r * r, minlength=n_acc)
        weighted = np.bincount(g_acct, weights=share * r, minlength=n_acc)
        rmax = np.zeros(n_acc)
        np.maximum.at(rmax, g_acct, r)
        rho = meta["rho"]
        quad = rho * s1 * s1 + (1.0 - rho) * s2
        agg = np.minimum(s1, np.maximum(np.sqrt(np.maximum(0.0, quad)), rmax))
        with np.errstate(divide="ignore", invalid="ignore"):
            mshare = np.where(s1 > 0, weighted / s1, 0.6)
        is_port = np.asarray(a["mode"]) == 2
        im_acc = np.where(is_port, agg, im_acc)
        mm_acc = np.where(is_port, agg * mshare, mm_acc)
    return equity, im_acc, mm_acc


def greeks(a):
    """Black-76 price and Greeks (delta, gamma, vega, theta, rho, vanna, volga) for the option batch."""
    is_call = a["opt_kind"] == 0
    f = np.asarray(a["opt_forward"])
    k = np.asarray(a["opt_strike"])
    t = np.asarray(a["opt_expiry"])
    v = np.asarray(a["opt_vol"])
    r = np.asarray(a["opt_rate"])
    df = np.exp(-r * t)
    sqrt_t = np.sqrt(t)
    sd = v * sqrt_t
    d1 = np.log(f / k) / sd + 0.5 * sd
    d2 = d1 - sd
    pdf = np.exp(-0.5 * d1 * d1) / SQRT_2PI
    sign = np.where(is_call, 1.0, -1.0)
    nd1 = ndtr(sign * d1)
    nd2 = ndtr(sign * d2)
    price = df * sign * (f * nd1 - k * nd2)
    delta = df * sign * nd1
    gamma = df * pdf / (f * sd)
    vega = df * f * pdf * sqrt_t
    theta = -df * f * pdf * v / (2.0 * sqrt_t) + r * price
    rho = -t * price
    vanna = -df * pdf * d2 / v
    volga = vega * d1 * d2 / v
    return price, delta, gamma, vega, theta, rho, vanna, volga


MINIMA = {}


def median_ms(fn, repeats, name=None):
    times = []
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    if name is not None:
        MINIMA[name] = float(np.min(times))
    return float(np.median(times)), out


def main():
    meta, a = load(sys.argv[1])
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    prep_ms, scen = median_ms(lambda: scenario_deltas(meta, a), repeats)
    full_ms, (equity, im, mm) = median_ms(lambda: remargin(meta, a, scen), repeats, "numpy")
    options_ms, prices = median_ms(lambda: greeks(a), repeats) if "opt_kind" in a else (None, None)
    print(
        json.dumps(
            {
                "numpy_ms": full_ms,
                "numpy_prep_ms": prep_ms,
                "numpy_min_ms": MINIMA.get("numpy"),
                "options_numpy_ms": options_ms,
                "numpy_version": np.__version__,
                "scipy_version": scipy.__version__,
                "totals": {
                    "equity_usd": float(equity.sum()),
                    "initial_margin_usd": float(im.sum()),
                    "maintenance_margin_usd": float(mm.sum()),
                    "liquidatable": int(((mm > 0) & (equity < mm)).sum()),
                    "option_price_sum": None if prices is None else float(prices[0].sum()),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
