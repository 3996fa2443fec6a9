import { type FormEvent, useState } from "react";

/*
 * Sign-in with an API key (as printed by `marginal serve`, or created by an admin). The key is
 * kept in this tab's sessionStorage only, so closing the tab signs out.
 */

export function SignInPage({
  onSignIn,
  error,
  busy,
}: {
  readonly onSignIn: (key: string) => void;
  readonly error: string | null;
  readonly busy: boolean;
}) {
  const [key, setKey] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (key.trim() !== "") onSignIn(key.trim());
  };
  return (
    <main className="sign-in">
      <form className="card sign-in-card" onSubmit={submit}>
        <h1>Marginal</h1>
        <p className="muted">Risk dashboard. Sign in with an API key.</p>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          data-testid="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="mgl_…"
          value={key}
          onChange={(e) => setKey(e.target.value)}
        />
        {error !== null && (
          <p className="error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || key.trim() === ""} data-testid="sign-in">
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
