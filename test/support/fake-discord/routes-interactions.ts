// Fake routes for interaction callbacks and the interaction webhook (edit/delete @original, follow-ups),
// with the 3-second acknowledgement window and Discord's follow-up-replaces-placeholder behaviour.
import { validateAutocompleteChoices, validateMessageBody, validateModal } from './limits.ts';
import { fail, HttpError, invalid, messageFields, noContent, ok, route, type Request, type Result, type Route } from './http.ts';
import type { FakeInteraction, FakeMessage, Json } from './model.ts';
import type { GatewayEvents } from './events.ts';
import { checkUploadSizes, checkVoiceMessage, FLAG_IS_VOICE_MESSAGE, isVoiceMessageBody } from './voice.ts';

export const INTERACTION_WINDOW_MS = 3_000;
const FLAG_EPHEMERAL = 64;
const FLAG_LOADING = 128;

export class InteractionRoutes {
  private readonly lastEdit = new Map<string, number>();

  constructor(private readonly events: GatewayEvents) {}

  private get world() {
    return this.events.world;
  }

  routes(): Route[] {
    const w = this.world;
    return [
      route('POST', '/interactions/:id/:token/callback', (r) => this.callback(r), false),
      route('GET', '/webhooks/:app/:token/messages/:message', (r) => ok(w.messageJson(this.webhookMessage(r))), false),
      route('PATCH', '/webhooks/:app/:token/messages/:message', (r) => ok(this.editWebhookMessage(r)), false),
      route('DELETE', '/webhooks/:app/:token/messages/:message', (r) => this.deleteWebhookMessage(r), false),
      route('POST', '/webhooks/:app/:token', (r) => this.followUp(r), false),
    ];
  }

  private interactionByToken(app: string | undefined, token: string | undefined): FakeInteraction {
    const interaction = [...this.world.interactions.values()].find((i) => i.token === token);
    if (!interaction || app !== this.world.applicationId) return fail(404, 10015, 'Unknown Webhook');
    if (!interaction.ackType) return fail(404, 10015, 'Unknown Webhook');
    if (Date.now() - interaction.dispatchedAt > 15 * 60_000) return fail(401, 50027, 'Invalid Webhook Token');
    return interaction;
  }

  private callback({ params: [id, token], body, files, query }: Request): Result {
    const w = this.events.world;
    const interaction = w.interactions.get(id!);
    if (!interaction || interaction.token !== token) return fail(404, 10062, 'Unknown interaction');
    if (Date.now() - interaction.dispatchedAt > INTERACTION_WINDOW_MS) {
      interaction.lateCallbacks++;
      return fail(404, 10062, 'Unknown interaction');
    }
    if (interaction.ackType) return fail(400, 40060, 'Interaction has already been acknowledged.');
    const type = body.type as number;
    const data = (body.data as Json | undefined) ?? {};
    const fromMessage = interaction.sourceMessageId !== undefined;
    let message: FakeMessage | undefined;
    switch (type) {
      case 4:
      case 5: {
        if (interaction.type === 4) fail(400, 50035, 'Invalid Form Body', [{ path: 'type', code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Invalid response type' }]);
        if (type === 4) invalid(validateMessageBody(data, { requireContent: true, files: files.length }));
        const ephemeral = (((data.flags as number | undefined) ?? 0) & FLAG_EPHEMERAL) !== 0;
        message = w.createMessage({
          channelId: interaction.channelId,
          author: w.bot,
          webhookId: w.applicationId,
          interactionId: interaction.id,
          type: interaction.type === 2 ? 20 : 0,
          ephemeral,
          loading: type === 5,
          flags: (ephemeral ? FLAG_EPHEMERAL : 0) | (type === 5 ? FLAG_LOADING : 0),
          ...(type === 4 ? messageFields(data, files) : {}),
        });
        interaction.originalMessageId = message.id;
        if (type === 4 && !ephemeral) this.events.dispatchMessage('MESSAGE_CREATE', message);
        break;
      }
      case 6:
      case 7: {
        if (!fromMessage) fail(400, 50035, 'Invalid Form Body', [{ path: 'type', code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Only for component interactions' }]);
        message = w.messages.get(interaction.sourceMessageId!);
        if (type === 7 && message) {
          invalid(validateMessageBody(data, { requireContent: false, files: files.length }));
          Object.assign(message, messageFields(data, files, message), { editedAt: new Date().toISOString() });
        }
        break;
      }
      case 8:
        if (interaction.type !== 4) fail(400, 50035, 'Invalid Form Body', [{ path: 'type', code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Only for autocomplete' }]);
        invalid(validateAutocompleteChoices(data));
        interaction.autocompleteChoices = (data.choices as Json[] | undefined) ?? [];
        break;
      case 9:
        if (interaction.type === 4 || interaction.type === 5) fail(400, 50035, 'Invalid Form Body', [{ path: 'type', code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Cannot open a modal here' }]);
        invalid(validateModal(data));
        interaction.modal = data;
        break;
      default:
        fail(400, 50035, 'Invalid Form Body', [{ path: 'type', code: 'BASE_TYPE_CHOICES', message: `Value must be one of (4, 5, 6, 7, 8, 9)` }]);
    }
    interaction.ackType = type;
    interaction.acknowledgedAt = Date.now();
    if (query.with_response !== 'true') return noContent();
    return ok({
      interaction: { id: interaction.id, type: interaction.type, response_message_id: message?.id, response_message_loading: type === 5, response_message_ephemeral: !!message?.ephemeral },
      resource: { type, ...(message ? { message: w.messageJson(message) } : {}) },
    });
  }

  private webhookMessage({ params: [app, token, id] }: Request): FakeMessage {
    const interaction = this.interactionByToken(app, token);
    const messageId = id === '@original' ? (interaction.originalMessageId ?? interaction.sourceMessageId) : id;
    const message = messageId ? this.world.messages.get(messageId) : undefined;
    if (!message || message.deleted || (id !== '@original' && !interaction.followUps.includes(id!))) return fail(404, 10008, 'Unknown Message');
    return message;
  }

  private editWebhookMessage(r: Request): Json {
    const message = this.webhookMessage(r);
    // Neither can a voice message be edited, nor can an edit (of the "thinking…" placeholder) make one.
    if (message.flags & FLAG_IS_VOICE_MESSAGE || isVoiceMessageBody(r.body)) fail(400, 50162, 'Voice messages cannot be edited.');
    checkUploadSizes(r.files);
    // Streamed progress: a second edit of one message sooner than world.editIntervalMs is refused (opt-in, 0: off).
    const last = this.lastEdit.get(message.id);
    if (this.world.editIntervalMs > 0 && last !== undefined && Date.now() - last < this.world.editIntervalMs) {
      throw new HttpError(429, { message: 'You are being rate limited.', retry_after: (last + this.world.editIntervalMs - Date.now()) / 1000, global: false });
    }
    this.lastEdit.set(message.id, Date.now());
    const fields = messageFields(r.body, r.files, message);
    invalid(validateMessageBody({ ...r.body, content: fields.content, embeds: fields.embeds, components: fields.components }, { requireContent: true, files: fields.attachments.length }));
    const wasLoading = message.loading;
    Object.assign(message, fields, { loading: false, flags: message.flags & ~FLAG_LOADING, editedAt: new Date().toISOString() });
    if (!message.ephemeral) this.events.dispatchMessage(wasLoading ? 'MESSAGE_CREATE' : 'MESSAGE_UPDATE', message);
    return this.world.messageJson(message);
  }

  private deleteWebhookMessage(r: Request) {
    const message = this.webhookMessage(r);
    message.deleted = true;
    if (!message.ephemeral) this.events.dispatch('MESSAGE_DELETE', { id: message.id, channel_id: message.channelId, ...this.events.guildField(message.channelId) });
    return noContent();
  }

  private followUp({ params: [app, token], body, files, query }: Request) {
    const interaction = this.interactionByToken(app, token);
    checkUploadSizes(files);
    const voice = isVoiceMessageBody(body);
    if (voice) checkVoiceMessage(body, files, this.world.canSendVoice(interaction.channelId));
    invalid(validateMessageBody(body, { requireContent: true, files: files.length }));
    const original = interaction.originalMessageId ? this.world.messages.get(interaction.originalMessageId) : undefined;
    let message: FakeMessage;
    if (original && original.loading && !original.deleted) {
      // The placeholder is edited into the follow-up, and an edit cannot make a voice message.
      if (voice) fail(400, 50162, 'Voice messages cannot be edited.');
      // Discord's quirk: the first follow-up to a still-deferred response replaces the "thinking…" message,
      // which keeps the visibility chosen at defer time whatever flags the follow-up asks for.
      Object.assign(original, messageFields(body, files, original), { loading: false, flags: original.flags & ~FLAG_LOADING });
      message = original;
    } else {
      const ephemeral = (((body.flags as number | undefined) ?? 0) & FLAG_EPHEMERAL) !== 0;
      message = this.world.createMessage({
        channelId: interaction.channelId,
        author: this.world.bot,
        webhookId: this.world.applicationId,
        interactionId: interaction.id,
        ephemeral,
        flags: (ephemeral ? FLAG_EPHEMERAL : 0) | (voice ? FLAG_IS_VOICE_MESSAGE : 0),
        ...messageFields(body, files),
      });
      interaction.followUps.push(message.id);
    }
    if (!message.ephemeral) this.events.dispatchMessage('MESSAGE_CREATE', message);
    return query.wait === 'true' ? ok(this.world.messageJson(message)) : noContent();
  }
}
