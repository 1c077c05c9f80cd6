import type { Translation } from '../catalogue-type.ts';
import type { voiceEn } from './en.ts';

export const voiceDe: Translation<typeof voiceEn> = {
  setting: 'Sprachantworten in Rollenspielen',
  heard: '🎙 Ich habe verstanden: {{text}}',
  outsideRolePlay: 'Sprachnachrichten sind Antworten in einem Rollenspiel: Starte eines mit /simulate und sprich deine Sätze. Um ein Wort oder einen Satz zu hören, nutze /pronounce <Text>.',
  listen: '🔊 Anhören',
  written: 'Sprachnachricht gespeichert: {{path}} ({{seconds}} s)',
  notSpoken: '(Diesmal keine Sprachnachricht: {{reason}})',
  fileMissing: 'Füge die Aufnahme hinzu: /voice file:<Pfad zu einer .ogg-Datei>.',
  notConfigured: 'Sprache ist bei diesem Bot nicht eingerichtet (kein Sprachdienst konfiguriert).',
  nothingToSay: 'Gib mir ein Wort oder einen Satz zum Vorsprechen, z. B. /pronounce la cebolla.',
  textTooLong: 'Das ist zu lang für einmal (höchstens {{max}} Zeichen).',
  tooLong: 'Diese Sprachnachricht ist zu lang: höchstens {{max}} Sekunden, bitte.',
  tooLarge: 'Diese Sprachnachricht ist zu groß (höchstens {{max}} MB).',
  nothingHeard: 'Ich konnte in dieser Sprachnachricht keine Wörter hören. Bitte versuche es noch einmal, etwas näher am Mikrofon.',
  wrongLanguage: 'Ich habe „{{heard}}“ verstanden, aber das klingt nicht nach der Sprache, die wir üben. Bitte sag es noch einmal in dieser Sprache.',
  allowance: 'Du hast deine {{minutes}} Minuten Sprache für heute verbraucht. Sprache geht wieder in {{hours}} h (um 00:00 UTC); Text geht weiterhin.',
  unavailable: 'Der Sprachdienst ist gerade nicht erreichbar. Bitte versuche es in einer Minute noch einmal oder tippe deine Antwort.',
  timeout: 'Der Sprachdienst hat zu lange gebraucht. Bitte versuche es noch einmal oder tippe deine Antwort.',
  badAudio: 'Der Sprachdienst hat etwas geschickt, das kein Audio ist. Bitte versuche es später noch einmal.',
};
