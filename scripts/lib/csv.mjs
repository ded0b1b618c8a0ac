// The project's CSV tables (src/data/formats/table-files.ts writes them) read back in scripts.
import fs from 'node:fs';

/** Parses CSV text as the project's table writer emits it: fields containing a comma or a quote are quoted, quotes doubled. */
export function parseCsvLine(line) {
  const out = [];
  for (let i = 0; i <= line.length;) {
    if (line[i] === '"') {
      let v = '', j = i + 1;
      for (; j < line.length; j++) {
        if (line[j] === '"' && line[j + 1] === '"') { v += '"'; j++; } else if (line[j] === '"') break; else v += line[j];
      }
      out.push(v); i = j + 2;
    } else {
      const j = line.indexOf(',', i), end = j < 0 ? line.length : j;
      out.push(line.slice(i, end)); i = end + 1;
    }
  }
  return out;
}
/** Rows of a CSV file as objects keyed by the header, values as strings. */
export function readCsv(file) {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n'), keys = parseCsvLine(head);
  return lines.map((l) => Object.fromEntries(parseCsvLine(l).map((v, i) => [keys[i], v])));
}
