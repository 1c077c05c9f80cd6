// The shape every translated catalogue must have: the English catalogue's keys, every leaf a string.
// Annotating a catalogue with CatalogueShape makes a missing key, an extra key or a wrongly nested
// section a compile error (object-literal excess-property checks apply at every level).
// Plurals are i18next plural keys: English has `key_one` and `key_other`; a language whose plural rules have
// more forms (Russian and Ukrainian: few, many; Spanish, French, Portuguese: many) adds `key_few`/`key_many`.
import type { en } from './en.ts';

/** The plural forms a catalogue may add next to an English `key_other`. */
export type ExtraPluralForm = 'zero' | 'two' | 'few' | 'many';

type PluralExtras<T> = {
  readonly [K in keyof T & string as K extends `${infer Base}_other` ? `${Base}_${ExtraPluralForm}` : never]?: string;
};

export type Translation<T> = { readonly [K in keyof T]: T[K] extends string ? string : Translation<T[K]> } & PluralExtras<T>;

export type CatalogueShape = Translation<typeof en>;
