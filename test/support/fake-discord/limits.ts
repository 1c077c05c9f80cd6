// Discord's documented limits, checked the way the API does: a list of field errors that the fake turns
// into `400 { code: 50035, message: 'Invalid Form Body', errors }`. Also used directly by unit tests.

export interface FieldError {
  path: string;
  code: string;
  message: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function maxLength(errors: FieldError[], path: string, value: unknown, max: number, min = 0): void {
  if (value === undefined || value === null) {
    if (min > 0) errors.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return;
  }
  if (typeof value !== 'string') return void errors.push({ path, code: 'BASE_TYPE_STRING', message: 'Must be a string' });
  if (value.length > max) errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  if (value.length < min) errors.push({ path, code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${min} or more in length.` });
}

export function embedCharacters(embed: Json): number {
  const footer = isObject(embed.footer) ? str(embed.footer.text) ?? '' : '';
  const author = isObject(embed.author) ? str(embed.author.name) ?? '' : '';
  const fields = arr(embed.fields).filter(isObject);
  return (
    (str(embed.title) ?? '').length +
    (str(embed.description) ?? '').length +
    footer.length +
    author.length +
    fields.reduce((sum, f) => sum + (str(f.name) ?? '').length + (str(f.value) ?? '').length, 0)
  );
}

/** A message create/edit body (channel message, interaction response, webhook). */
export function validateMessageBody(body: Json, options: { requireContent: boolean; files?: number }): FieldError[] {
  const errors: FieldError[] = [];
  maxLength(errors, 'content', body.content, 2000);
  const embeds = arr(body.embeds);
  if (embeds.length > 10) errors.push({ path: 'embeds', code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' });
  let total = 0;
  embeds.forEach((raw, i) => {
    if (!isObject(raw)) return void errors.push({ path: `embeds.${i}`, code: 'MODEL_TYPE_CONVERT', message: 'Not an embed' });
    const p = `embeds.${i}`;
    maxLength(errors, `${p}.title`, raw.title, 256);
    maxLength(errors, `${p}.description`, raw.description, 4096);
    const fields = arr(raw.fields);
    if (fields.length > 25) errors.push({ path: `${p}.fields`, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
    fields.forEach((f, j) => {
      const field = isObject(f) ? f : {};
      maxLength(errors, `${p}.fields.${j}.name`, field.name, 256, 1);
      maxLength(errors, `${p}.fields.${j}.value`, field.value, 1024, 1);
    });
    if (isObject(raw.footer)) maxLength(errors, `${p}.footer.text`, raw.footer.text, 2048, 1);
    if (isObject(raw.author)) maxLength(errors, `${p}.author.name`, raw.author.name, 256, 1);
    total += embedCharacters(raw);
  });
  if (total > 6000) errors.push({ path: 'embeds', code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' });
  errors.push(...validateComponents(arr(body.components)));
  if (options.requireContent) {
    const empty =
      !(str(body.content) ?? '').trim() && !embeds.length && !arr(body.components).length && !(options.files ?? 0) && !arr(body.sticker_ids).length;
    if (empty) errors.push({ path: '', code: 'EMPTY_MESSAGE', message: 'Cannot send an empty message' });
  }
  return errors;
}

export function validateComponents(rows: unknown[]): FieldError[] {
  const errors: FieldError[] = [];
  if (rows.length > 5) errors.push({ path: 'components', code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' });
  const ids = new Set<string>();
  rows.forEach((row, i) => {
    const p = `components.${i}`;
    if (!isObject(row) || row.type !== 1) return void errors.push({ path: p, code: 'UNION_TYPE_CHOICES', message: 'Expected an action row' });
    const buttons = arr(row.components);
    if (buttons.length < 1 || buttons.length > 5) {
      errors.push({ path: `${p}.components`, code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 5 in length.' });
    }
    buttons.forEach((b, j) => {
      const q = `${p}.components.${j}`;
      if (!isObject(b) || b.type !== 2) return void errors.push({ path: q, code: 'UNION_TYPE_CHOICES', message: 'Expected a button' });
      maxLength(errors, `${q}.label`, b.label, 80);
      if (b.style === 5) return;
      maxLength(errors, `${q}.custom_id`, b.custom_id, 100, 1);
      if (typeof b.style !== 'number' || b.style < 1 || b.style > 4) errors.push({ path: `${q}.style`, code: 'BASE_TYPE_CHOICES', message: 'Invalid style' });
      const id = str(b.custom_id);
      if (id !== undefined) {
        if (ids.has(id)) errors.push({ path: `${q}.custom_id`, code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' });
        ids.add(id);
      }
    });
  });
  return errors;
}

const COMMAND_NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

/** One entry of PUT /applications/{app}/commands. */
export function validateCommand(command: unknown, index = 0): FieldError[] {
  const errors: FieldError[] = [];
  const p = `${index}`;
  if (!isObject(command)) return [{ path: p, code: 'MODEL_TYPE_CONVERT', message: 'Not a command' }];
  checkName(errors, `${p}.name`, command.name);
  maxLength(errors, `${p}.description`, command.description, 100, 1);
  const options = arr(command.options);
  if (options.length > 25) errors.push({ path: `${p}.options`, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  let sawOptional = false;
  const names = new Set<string>();
  options.forEach((o, i) => {
    const q = `${p}.options.${i}`;
    if (!isObject(o)) return void errors.push({ path: q, code: 'MODEL_TYPE_CONVERT', message: 'Not an option' });
    checkName(errors, `${q}.name`, o.name);
    if (typeof o.name === 'string') {
      if (names.has(o.name)) errors.push({ path: `${q}.name`, code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', message: 'Option names must be unique' });
      names.add(o.name);
    }
    maxLength(errors, `${q}.description`, o.description, 100, 1);
    if (![3, 4, 5, 10, 11].includes(o.type as number)) errors.push({ path: `${q}.type`, code: 'BASE_TYPE_CHOICES', message: 'Unsupported option type' });
    if (o.required) {
      if (sawOptional) errors.push({ path: `${q}.required`, code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', message: 'Required options must be placed before non-required options' });
    } else sawOptional = true;
    const choices = arr(o.choices);
    if (choices.length > 25) errors.push({ path: `${q}.choices`, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
    if (choices.length && o.autocomplete) errors.push({ path: `${q}.autocomplete`, code: 'AUTOCOMPLETE_CHOICES', message: 'Autocomplete and choices are exclusive' });
    choices.forEach((c, j) => {
      const choice = isObject(c) ? c : {};
      maxLength(errors, `${q}.choices.${j}.name`, choice.name, 100, 1);
      if (typeof choice.value === 'string') maxLength(errors, `${q}.choices.${j}.value`, choice.value, 100, 1);
      else if (typeof choice.value !== 'number') errors.push({ path: `${q}.choices.${j}.value`, code: 'BASE_TYPE_REQUIRED', message: 'Choice value required' });
      if (o.type === 4 && !Number.isInteger(choice.value)) errors.push({ path: `${q}.choices.${j}.value`, code: 'NUMBER_TYPE_COERCE', message: 'Not an integer' });
    });
    for (const key of ['min_length', 'max_length'] as const) {
      const v = o[key];
      if (v === undefined) continue;
      if (o.type !== 3) errors.push({ path: `${q}.${key}`, code: 'INVALID_FIELD', message: 'Only for strings' });
      const min = key === 'min_length' ? 0 : 1;
      if (typeof v !== 'number' || v < min || v > 6000) errors.push({ path: `${q}.${key}`, code: 'NUMBER_TYPE_MAX', message: `Must be between ${min} and 6000` });
    }
    for (const key of ['min_value', 'max_value'] as const) {
      if (o[key] !== undefined && o.type !== 4 && o.type !== 10) errors.push({ path: `${q}.${key}`, code: 'INVALID_FIELD', message: 'Only for numbers' });
    }
    if (typeof o.min_value === 'number' && typeof o.max_value === 'number' && o.min_value > o.max_value) {
      errors.push({ path: `${q}.min_value`, code: 'NUMBER_TYPE_MAX', message: 'min_value above max_value' });
    }
  });
  return errors;
}

function checkName(errors: FieldError[], path: string, name: unknown): void {
  if (typeof name !== 'string' || !COMMAND_NAME.test(name) || name !== name.toLowerCase()) {
    errors.push({ path, code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
  }
}

export function validateCommands(commands: unknown): FieldError[] {
  if (!Array.isArray(commands)) return [{ path: '', code: 'BASE_TYPE_ARRAY', message: 'Must be an array' }];
  const errors = commands.flatMap((c, i) => validateCommand(c, i));
  if (commands.length > 100) errors.push({ path: '', code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' });
  const names = commands.map((c) => (isObject(c) ? c.name : undefined));
  if (new Set(names).size !== names.length) errors.push({ path: '', code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: 'Duplicate command names' });
  return errors;
}

/** An interaction callback of type 9 (modal). */
export function validateModal(modal: Json): FieldError[] {
  const errors: FieldError[] = [];
  maxLength(errors, 'data.title', modal.title, 45, 1);
  maxLength(errors, 'data.custom_id', modal.custom_id, 100, 1);
  const components = arr(modal.components);
  if (components.length < 1 || components.length > 5) errors.push({ path: 'data.components', code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 5 in length.' });
  components.forEach((c, i) => {
    const p = `data.components.${i}`;
    if (!isObject(c)) return;
    if (c.type === 18) {
      maxLength(errors, `${p}.label`, c.label, 45, 1);
      maxLength(errors, `${p}.description`, c.description, 100);
      if (isObject(c.component)) validateTextInput(errors, `${p}.component`, c.component, false);
      else errors.push({ path: `${p}.component`, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    } else if (c.type === 1) {
      const inner = arr(c.components);
      if (inner.length !== 1 || !isObject(inner[0])) errors.push({ path: `${p}.components`, code: 'BASE_TYPE_BAD_LENGTH', message: 'One text input per row' });
      else validateTextInput(errors, `${p}.components.0`, inner[0], true);
    } else if (c.type !== 10) {
      errors.push({ path: `${p}.type`, code: 'UNION_TYPE_CHOICES', message: 'Unsupported modal component' });
    }
  });
  return errors;
}

function validateTextInput(errors: FieldError[], p: string, input: Json, legacy: boolean): void {
  if (input.type !== 4) return void errors.push({ path: `${p}.type`, code: 'UNION_TYPE_CHOICES', message: 'Expected a text input' });
  maxLength(errors, `${p}.custom_id`, input.custom_id, 100, 1);
  if (legacy) maxLength(errors, `${p}.label`, input.label, 45, 1);
  else if (input.label !== undefined) errors.push({ path: `${p}.label`, code: 'INVALID_FIELD', message: 'Label belongs to the Label component' });
  maxLength(errors, `${p}.placeholder`, input.placeholder, 100);
  maxLength(errors, `${p}.value`, input.value, 4000);
  if (input.style !== 1 && input.style !== 2) errors.push({ path: `${p}.style`, code: 'BASE_TYPE_CHOICES', message: 'Invalid style' });
  for (const [key, min] of [['min_length', 0], ['max_length', 1]] as const) {
    const v = input[key];
    if (v !== undefined && (typeof v !== 'number' || v < min || v > 4000)) errors.push({ path: `${p}.${key}`, code: 'NUMBER_TYPE_MAX', message: `Must be between ${min} and 4000` });
  }
}

export function validateAutocompleteChoices(data: Json): FieldError[] {
  const errors: FieldError[] = [];
  const choices = arr(data.choices);
  if (choices.length > 25) errors.push({ path: 'data.choices', code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  choices.forEach((c, i) => {
    const choice = isObject(c) ? c : {};
    maxLength(errors, `data.choices.${i}.name`, choice.name, 100, 1);
    if (typeof choice.value === 'string') maxLength(errors, `data.choices.${i}.value`, choice.value, 100);
  });
  return errors;
}

/** Discord's nested error object: { content: { _errors: [{ code, message }] } }. */
export function toDiscordErrors(errors: FieldError[]): Json {
  const root: Json = {};
  for (const error of errors) {
    let node = root;
    for (const part of error.path ? error.path.split('.') : []) {
      node[part] = isObject(node[part]) ? node[part] : {};
      node = node[part] as Json;
    }
    const list = (node._errors as unknown[] | undefined) ?? [];
    list.push({ code: error.code, message: error.message });
    node._errors = list;
  }
  return root;
}
