// The shape every translated catalogue must have: the English catalogue's keys, every leaf a string.
// Annotating a catalogue with CatalogueShape makes a missing key, an extra key or a wrongly nested
// section a compile error (object-literal excess-property checks apply at every level).
import type { en } from './en.ts';

export type Translation<T> = { readonly [K in keyof T]: T[K] extends string ? string : Translation<T[K]> };

export type CatalogueShape = Translation<typeof en>;
