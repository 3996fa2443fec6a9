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
  try {
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === "") continue;
      const cells = splitCsvLine(line);
      if (sawHeader) onRow(cells, lineNumber);
      else {
        sawHeader = true;
        onHeader(cells);
      }
    }
  } finally {
    lines.close();
    input.destroy();
  }
  if (!sawHeader)
    throw new MarginalError("invalid_data", `${path}: empty file (no header row)`, { field: "file" });
}
