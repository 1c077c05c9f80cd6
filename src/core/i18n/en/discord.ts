// English strings shown only by the Discord adapter. Part of the English catalogue (../en.ts).
export const discordEn = {
  genericError: 'Something went wrong on my side. Please try again.',
  unknownCommand: 'I do not know this command any more. Try /help.',
  staleButton: 'This button no longer works.',
  attachmentTooLarge: 'The file {{filename}} is too large to send here.',
  fileTooLarge: 'That file is too large (at most {{max}} MB).',
  fileDownloadFailed: 'I could not download your file. Please try again.',
  thread: {
    defaultName: 'Role-play',
    note: 'Our role-play continues in this thread: just write your replies here.',
    noteMention: 'Our role-play continues in this thread. I can only read messages that mention me: start each reply with {{mention}}.',
    missingPermission:
      'I could not open a thread: I need the "Create Public Threads" permission in this channel. We will continue here: reply to my message or mention me.',
    unavailableInDm: 'We will role-play right here: just write your replies.',
    unavailableHere: 'I cannot open a thread here, so we will continue in this channel: reply to my message or mention me.',
    failed: 'I could not open a thread, so we will continue in this channel: reply to my message or mention me.',
  },
  save: {
    modalTitle: 'Save to your collection',
    label: 'Label',
    labelPlaceholder: 'A short name for this item',
    notes: 'Notes',
    notesPlaceholder: 'Anything you want to remember (optional)',
  },
} as const;
