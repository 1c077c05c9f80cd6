import type { Translation } from '../catalogue-type.ts';
import type { voiceEn } from './en.ts';

export const voiceEs: Translation<typeof voiceEn> = {
  setting: 'Respuestas de voz en los juegos de rol',
  heard: '🎙 He oído: {{text}}',
  outsideRolePlay: 'Los mensajes de voz son respuestas en un juego de rol: empieza uno con /simulate y di tus frases. Para oír una palabra o frase, usa /pronounce <texto>.',
  listen: '🔊 Escuchar',
  written: 'Nota de voz guardada: {{path}} ({{seconds}} s)',
  notSpoken: '(Esta vez sin nota de voz: {{reason}})',
  fileMissing: 'Añade la grabación: /voice file:<ruta a un archivo .ogg>.',
  notConfigured: 'La voz no está configurada en este bot (no hay servicio de voz).',
  nothingToSay: 'Dame una palabra o frase para decir, por ejemplo /pronounce la cebolla.',
  textTooLong: 'Es demasiado largo para decirlo de una vez (como máximo {{max}} caracteres).',
  tooLong: 'Ese mensaje de voz es demasiado largo: como máximo {{max}} segundos, por favor.',
  tooLarge: 'Ese mensaje de voz es demasiado grande (como máximo {{max}} MB).',
  nothingHeard: 'No he oído ninguna palabra en ese mensaje de voz. Inténtalo otra vez, un poco más cerca del micrófono.',
  wrongLanguage: 'He oído «{{heard}}», pero no parece el idioma que estamos practicando. Dilo otra vez en ese idioma, por favor.',
  allowance: 'Has usado tus {{minutes}} minutos de voz de hoy. La voz vuelve en {{hours}} h (a las 00:00 UTC); el texto sigue funcionando.',
  unavailable: 'El servicio de voz no está disponible ahora. Inténtalo de nuevo en un minuto o escribe tu respuesta.',
  timeout: 'El servicio de voz ha tardado demasiado. Inténtalo de nuevo o escribe tu respuesta.',
  badAudio: 'El servicio de voz ha devuelto algo que no es audio. Inténtalo más tarde.',
};
