/**
 * Splits one CSV line into cells. Market-data exports are plain comma-separated numbers, so the
 * common case is a plain split; a line with a double quote takes the RFC 4180 path (quoted
 * cells, "" as an escaped quote). Multi-line quoted cells do not occur in price data and are
 * not supported.
 */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}
