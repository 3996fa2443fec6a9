import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { splitCsvLine } from "../../core/data/split-csv-line.ts";
import { MarginalError } from "../../core/errors.ts";

/**
 * Streams a CSV file line by line (never holding the whole text), calling `onHeader` with the
 * first non-blank line's cells and `onRow` with every later non-blank line's cells and its
 * 1-based line number. Blank lines (a trailing newline, CRLF leftovers) are skipped.
 */
export async function readCsvLines(
  path: string,
  onHeader: (cells: string[]) => void,
  onRow: (cells: string[], lineNumber: number) => void,
): Promise<void> {
  const input = createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 });
  const opened = new Promise<void>((resolve, reject) => {
    input.once("open", () => resolve());
    input.once("error", reject);
  });
  try {
    await opened;
  } catch (error) {
    throw new MarginalError(
      "not_found",
      `${path}: cannot open (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      {
        field: "file",
        cause: error,
      },
    );
  }
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  let sawHeader = false;
  let failure: unknown;
  // 'line' events rather than `for await`: the async iterator costs several times more per line.
  lines.on("line", (line) => {
    if (failure !== undefined) return;
    lineNumber++;
    if (line.trim() === "") return;
    try {
      const cells = splitCsvLine(line);
      if (sawHeader) onRow(cells, lineNumber);
      else {
        sawHeader = true;
        onHeader(cells);
      }
    } catch (error) {
      failure = error;
      lines.close();
      input.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    lines.once("close", resolve);
    // readline re-emits input errors on the interface; listening there also catches them.
    lines.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new MarginalError("invalid_data", `${path}: cannot read (${error.code ?? error.message})`, {
          field: "file",
          cause: error,
        }),
      ),
    );
  });
  if (failure !== undefined) throw failure;
  if (!sawHeader)
    throw new MarginalError("invalid_data", `${path}: empty file (no header row)`, { field: "file" });
}
