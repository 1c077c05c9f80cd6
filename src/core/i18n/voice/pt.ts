import type { Translation } from '../catalogue-type.ts';
import type { voiceEn } from './en.ts';

export const voicePt: Translation<typeof voiceEn> = {
  setting: 'Respostas de voz nas simulações',
  heard: '🎙 Ouvi: {{text}}',
  outsideRolePlay: 'Mensagens de voz são respostas numa simulação: comece uma com /simulate e diga as suas falas. Para ouvir uma palavra ou frase, use /pronounce <texto>.',
  listen: '🔊 Ouvir',
  written: 'Nota de voz gravada: {{path}} ({{seconds}} s)',
  notSpoken: '(Desta vez sem nota de voz: {{reason}})',
  fileMissing: 'Adicione a gravação: /voice file:<caminho de um arquivo .ogg>.',
  notConfigured: 'A voz não está configurada neste bot (nenhum serviço de voz).',
  nothingToSay: 'Dê-me uma palavra ou frase para dizer, por exemplo /pronounce la cebolla.',
  textTooLong: 'É longo demais para dizer de uma vez (no máximo {{max}} caracteres).',
  tooLong: 'Essa mensagem de voz é longa demais: no máximo {{max}} segundos, por favor.',
  tooLarge: 'Essa mensagem de voz é grande demais (no máximo {{max}} MB).',
  nothingHeard: 'Não ouvi nenhuma palavra nessa mensagem de voz. Tente de novo, um pouco mais perto do microfone.',
  wrongLanguage: 'Ouvi "{{heard}}", mas não parece o idioma que estamos praticando. Diga de novo nesse idioma, por favor.',
  allowance: 'Você usou os seus {{minutes}} minutos de voz de hoje. A voz volta em {{hours}} h (às 00:00 UTC); o texto continua funcionando.',
  unavailable: 'O serviço de voz não está acessível agora. Tente de novo daqui a um minuto, ou escreva a sua resposta.',
  timeout: 'O serviço de voz demorou demais. Tente de novo, ou escreva a sua resposta.',
  badAudio: 'O serviço de voz devolveu algo que não é áudio. Tente mais tarde.',
};
