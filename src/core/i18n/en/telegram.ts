// English strings shown only by the Telegram adapter. Part of the English catalogue (../en.ts).
export const telegramEn = {
  /** One field line of a card; the adapter styles {{label}} and {{value}} (a hidden value becomes a spoiler). */
  field: '{{label}}: {{value}}',
  /** A rating button under a generated reply: the emoji and its 1–5 score. */
  rateButton: '{{emoji}} {{rating}}',
  save: '💾 Save',
  /** Text for a reply that has only buttons (Telegram needs a text to carry a keyboard). */
  chooseBelow: 'Choose below:',
  /** Posted where a role-play was started when it moved into its own forum topic. */
  topicOpened: 'The role-play continues in the topic “{{name}}”.',
} as const;
