// The 1–5 rating on Discord: keycap digits, the labels of the rating row's buttons and the reactions that rate.

export const RATING_EMOJIS = ['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣'] as const;

/** 1–5 for a keycap digit reaction (with or without the variation selector), else undefined. */
export function ratingFromEmoji(name: string | null | undefined): number | undefined {
  if (!name) return undefined;
  const match = /^([1-5])\uFE0F?\u20E3$/u.exec(name);
  return match ? Number(match[1]) : undefined;
}
