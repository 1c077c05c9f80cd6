// What a Discord client shows for a message's markdown, for the markdown the bot writes: backslash escapes
// (a backslash before any character that is not a letter, a digit or whitespace shows that character),
// inline code (`…` or ``…``, shown as typed, backslashes included) and spoilers (||…||, shown once revealed).
// Any other markdown character left unescaped would format the text instead of showing it: reported, so that
// a test can demand there is none.
export interface Shown {
  text: string;
  /** Unescaped formatting characters outside code, with their offsets. */
  formatting: Array<{ at: number; char: string }>;
}

export function shownText(markdown: string, options: { spoilers?: boolean } = {}): Shown {
  let text = '';
  const formatting: Shown['formatting'] = [];
  let i = 0;
  while (i < markdown.length) {
    const c = markdown[i]!;
    if (c === '\\' && i + 1 < markdown.length && /[^0-9A-Za-z\s]/.test(markdown[i + 1]!)) {
      text += markdown[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      let ticks = 0;
      while (markdown[i + ticks] === '`') ticks++;
      const fence = '`'.repeat(ticks);
      let close = markdown.indexOf(fence, i + ticks);
      while (close >= 0 && markdown[close + ticks] === '`') close = markdown.indexOf(fence, close + 1);
      if (close > i + ticks) {
        text += markdown.slice(i + ticks, close);
        i = close + ticks;
        continue;
      }
      formatting.push({ at: i, char: c });
      text += c;
      i += ticks;
      continue;
    }
    if (options.spoilers && markdown.startsWith('||', i)) {
      // Discord's spoiler rule: the shortest ||…|| (inline code inside does not protect a "||").
      const close = markdown.indexOf('||', i + 3);
      if (close > 0) {
        const inner = shownText(markdown.slice(i + 2, close), options);
        formatting.push(...inner.formatting.map((f) => ({ at: f.at + i + 2, char: f.char })));
        text += inner.text;
        i = close + 2;
        continue;
      }
    }
    if ('*_~|'.includes(c)) formatting.push({ at: i, char: c });
    text += c;
    i++;
  }
  return { text, formatting };
}
