/**
 * Splits a migration file into statements at `;`, leaving out comments. The ClickHouse HTTP interface
 * takes one statement per request, and a semicolon inside a string literal, a quoted identifier or a
 * comment must not end a statement.
 */
export function splitSqlStatements(text: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    const next = text[i + 1];
    if (char === '-' && next === '-') {
      i = skipUntil(text, i, '\n');
      current += ' ';
    } else if (char === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new Error('unterminated /* comment */ in SQL');
      i = end + 2;
      current += ' ';
    } else if (char === "'" || char === '"' || char === '`') {
      const end = quotedEnd(text, i, char);
      current += text.slice(i, end);
      i = end;
    } else if (char === ';') {
      pushStatement(statements, current);
      current = '';
      i++;
    } else {
      current += char;
      i++;
    }
  }
  pushStatement(statements, current);
  return statements;
}

function pushStatement(statements: string[], text: string): void {
  const trimmed = text.trim();
  if (trimmed !== '') statements.push(trimmed);
}

function skipUntil(text: string, from: number, terminator: string): number {
  const end = text.indexOf(terminator, from);
  return end < 0 ? text.length : end;
}

/** The index just after the quoted text starting at `start`; backslash escapes and doubled quotes stay inside. */
function quotedEnd(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    const char = text[i];
    if (char === '\\') i += 2;
    else if (char === quote && text[i + 1] === quote) i += 2;
    else if (char === quote) return i + 1;
    else i++;
  }
  throw new Error(`unterminated ${quote}quoted${quote} text in SQL`);
}
