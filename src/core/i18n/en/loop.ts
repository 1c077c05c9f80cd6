// English strings for the learning loop's reminders (/remind) and account linking (/link).
// Part of the English catalogue (../en.ts), under the key `loop`.
export const loopEn = {
  // Reminders
  remindOn: 'Done: every day at {{hour}} ({{zone}}) I will remind you here when flashcards are due.',
  remindOff: 'Daily reminders are off. Turn them on with /remind <hour 0–23>.',
  remindTurnedOff: 'Daily reminders turned off.',
  remindState: 'Daily reminder: on at {{hour}} ({{zone}}), sent on {{platform}}. Turn it off with /remind off.',
  remindZoneSet: 'Your time zone is {{zone}}. Change it with /settings tz:<zone>, e.g. /settings tz:Europe/Madrid.',
  remindZoneUnset: 'Your time zone is not set, so I use UTC. Set yours with /settings tz:<zone>, e.g. /settings tz:Europe/Madrid.',
  remindUsage: 'Use /remind <hour 0–23> for a daily reminder at that hour, /remind off to stop, or /remind alone to see it.',
  remindPrivateOnly: 'Reminders are personal: send /remind <hour> to me in a private chat (a DM).',
  reminderOne: 'You have 1 flashcard due today. Review it with /review.',
  reminderMany: 'You have {{count}} flashcards due today. Review them with /review.',
  // Linking
  linkCode: 'Your link code: {{code}}',
  linkHowTo: 'Send /link {{code}} from your account on the other platform within {{minutes}} minutes. Both accounts then become one learner, with everything from both. Do not share this code.',
  linkPrivateOnly: 'Linking accounts is personal: send /link to me in a private chat (a DM).',
  linkUnknownCode: 'That code is not valid. Check it, or make a new one with /link on your other account.',
  linkExpiredCode: 'That code has expired. Make a new one with /link on your other account.',
  linkOwnCode: 'That code belongs to this account. Send it from your account on the other platform.',
  linkTooManyTries: 'Too many wrong codes. Please wait {{minutes}} minutes before trying again.',
  linkDone: 'Linked! These accounts are now one learner: {{accounts}}.',
  linkMoved: 'Moved over: {{savedItems}} saved items, {{cards}} review cards, {{reviews}} reviews, {{attempts}} exercise answers, {{courses}} courses, {{simulations}} role-plays.',
  linkDuplicates: '{{count}} cards were in both decks: I kept the copy you had practised more, with all its reviews.',
  linkSettingsKept: 'Settings of the account that made the code are kept: learning {{target}}, level {{level}}, time zone {{zone}}. See them all with /settings.',
  linkSettingsFilled: 'Filled in from this account, where the other had none: {{settings}}.',
  linkNotice: 'Your account was just linked with {{name}} ({{platforms}}): you are now one learner, and that account sees your saved items, deck and progress. If this was not you, press Undo within {{hours}} hours.',
  linkUndoButton: 'Undo link',
  linkUndone: 'Link undone: the {{platforms}} account is a separate learner again, with what it brought ({{savedItems}} saved items, {{cards}} review cards). What was made after the link stays with you.',
  settingNames: {
    targetLanguage: 'language to learn',
    baseLanguage: 'explanation language',
    level: 'level',
    timezone: 'time zone',
    reminder: 'daily reminder',
    email: 'e-mail',
  },
} as const;
