// Fake routes for the gateway address, the bot user, the application and command registration.
import { validateCommands } from './limits.ts';
import { fail, invalid, ok, route, type Request, type Route } from './http.ts';
import { snowflake, userJson, type Json } from './model.ts';
import type { GatewayEvents } from './events.ts';

export class AppRoutes {
  constructor(
    private readonly events: GatewayEvents,
    private readonly gatewayUrl: () => string,
  ) {}

  private get world() {
    return this.events.world;
  }

  routes(): Route[] {
    const w = this.world;
    return [
      route('GET', '/gateway/bot', () =>
        ok({ url: this.gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } }),
      ),
      route('GET', '/gateway', () => ok({ url: this.gatewayUrl() }), false),
      route('GET', '/users/@me', () => ok(userJson(w.bot))),
      route('GET', '/users/:id', ({ params: [id] }) => ok(userJson(w.users.get(id!) ?? fail(404, 10013, 'Unknown User')))),
      route('GET', '/oauth2/applications/@me', () => ok(this.application())),
      route('GET', '/applications/@me', () => ok(this.application())),
      route('PUT', '/applications/:app/commands', (r) => ok(this.putCommands(r, w.globalCommands))),
      route('GET', '/applications/:app/commands', () => ok(w.globalCommands)),
      route('PUT', '/applications/:app/guilds/:guild/commands', (r) => ok(this.putCommands(r, w.guildCommands))),
      route('GET', '/applications/:app/guilds/:guild/commands', () => ok(w.guildCommands)),
    ];
  }

  private application(): Json {
    return {
      id: this.world.applicationId,
      name: 'Tutor',
      icon: null,
      description: '',
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      bot: userJson(this.world.bot),
      owner: { id: snowflake(), username: 'owner', global_name: null, discriminator: '0', avatar: null },
    };
  }

  private putCommands({ params: [app, guild], body }: Request, store: Json[]): Json[] {
    if (app !== this.world.applicationId) fail(403, 20012, 'You are not authorized to perform this action on this application');
    if (guild !== undefined && guild !== this.world.guildId) fail(404, 10004, 'Unknown Guild');
    invalid(validateCommands(body));
    const created = (body as unknown as Json[]).map((command) => ({
      ...command,
      id: snowflake(),
      application_id: this.world.applicationId,
      version: snowflake(),
      default_member_permissions: null,
      nsfw: false,
      ...(guild ? { guild_id: guild } : {}),
    }));
    store.splice(0, store.length, ...created);
    return created;
  }
}
