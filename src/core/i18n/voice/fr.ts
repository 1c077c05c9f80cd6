import type { Translation } from '../catalogue-type.ts';
import type { voiceEn } from './en.ts';

export const voiceFr: Translation<typeof voiceEn> = {
  setting: 'Réponses vocales dans les jeux de rôle',
  heard: '🎙 J’ai entendu : {{text}}',
  outsideRolePlay: 'Les messages vocaux sont des réponses dans un jeu de rôle : lances-en un avec /simulate, puis dis tes répliques. Pour entendre un mot ou une phrase, utilise /pronounce <texte>.',
  listen: '🔊 Écouter',
  written: 'Note vocale enregistrée : {{path}} ({{seconds}} s)',
  notSpoken: '(Pas de note vocale cette fois : {{reason}})',
  fileMissing: 'Ajoute l’enregistrement : /voice file:<chemin d’un fichier .ogg>.',
  notConfigured: 'La voix n’est pas configurée sur ce bot (aucun service vocal).',
  nothingToSay: 'Donne-moi un mot ou une phrase à dire, par exemple /pronounce la cebolla.',
  textTooLong: 'C’est trop long à dire d’un coup ({{max}} caractères au plus).',
  tooLong: 'Ce message vocal est trop long : {{max}} secondes au plus, s’il te plaît.',
  tooLarge: 'Ce message vocal est trop volumineux ({{max}} Mo au plus).',
  nothingHeard: 'Je n’ai entendu aucun mot dans ce message vocal. Réessaie, un peu plus près du micro.',
  wrongLanguage: 'J’ai entendu « {{heard}} », mais ce n’est pas la langue que nous pratiquons. Redis-le dans cette langue, s’il te plaît.',
  allowance: 'Tu as utilisé tes {{minutes}} minutes de voix pour aujourd’hui. La voix revient dans {{hours}} h (à 00:00 UTC) ; le texte fonctionne toujours.',
  unavailable: 'Le service vocal est injoignable pour le moment. Réessaie dans une minute, ou écris ta réponse.',
  timeout: 'Le service vocal a mis trop de temps à répondre. Réessaie, ou écris ta réponse.',
  badAudio: 'Le service vocal a renvoyé quelque chose qui n’est pas de l’audio. Réessaie plus tard.',
};
