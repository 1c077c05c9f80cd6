// "Save" asks for a label and notes in a modal; its submission becomes the `save` command.
import { ComponentType, TextInputStyle, type APIModalInteractionResponseCallbackData, type ModalSubmitInteraction } from 'discord.js';
import type { RawArgs } from '../../commands/front-door.ts';
import type { Translator } from '../../core/i18n/index.ts';
import { truncate } from './text.ts';
import { cutText } from '../../core/safe-text.ts';

const PREFIX = 'save-modal|';
const LABEL_FIELD = 'label';
const NOTES_FIELD = 'notes';
export const SAVE_LIMITS = { label: 100, notes: 1000 } as const;

export function buildSaveModal(generationId: number, t: Translator): APIModalInteractionResponseCallbackData {
  return {
    custom_id: `${PREFIX}${generationId}`,
    title: truncate(t('discord.save.modalTitle'), 45),
    components: [
      {
        type: ComponentType.Label,
        label: truncate(t('discord.save.label'), 45),
        component: {
          type: ComponentType.TextInput,
          custom_id: LABEL_FIELD,
          style: TextInputStyle.Short,
          max_length: SAVE_LIMITS.label,
          required: false,
          placeholder: truncate(t('discord.save.labelPlaceholder'), 100),
        },
      },
      {
        type: ComponentType.Label,
        label: truncate(t('discord.save.notes'), 45),
        component: {
          type: ComponentType.TextInput,
          custom_id: NOTES_FIELD,
          style: TextInputStyle.Paragraph,
          max_length: SAVE_LIMITS.notes,
          required: false,
          placeholder: truncate(t('discord.save.notesPlaceholder'), 100),
        },
      },
    ],
  };
}

export function isSaveModal(customId: string): boolean {
  return customId.startsWith(PREFIX);
}

/** The `save` command's arguments; empty fields are left out so the command can apply its defaults. */
export function saveArgs(interaction: ModalSubmitInteraction): RawArgs | undefined {
  const id = interaction.customId.slice(PREFIX.length);
  if (!/^\d{1,12}$/.test(id)) return undefined;
  const field = (name: string, max: number) => {
    try {
      const value = interaction.fields.getTextInputValue(name).trim();
      return value ? cutText(value, max) : undefined;
    } catch {
      return undefined;
    }
  };
  const label = field(LABEL_FIELD, SAVE_LIMITS.label);
  const notes = field(NOTES_FIELD, SAVE_LIMITS.notes);
  return { generation: Number(id), ...(label ? { label } : {}), ...(notes ? { notes } : {}) };
}
