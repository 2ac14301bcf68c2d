import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/app-config.js';
import { OutboundAllowList } from './allow-list.js';
import { CachingResolver } from './caching-resolver.js';
import { dnsServersResolver, systemResolver } from './host-resolver.js';
import { OutboundHttp } from './outbound-http.js';
import { OutboundPolicy } from './outbound-policy.js';

/** The outbound policy as configured: OUTBOUND_ALLOWED_HOSTS, OUTBOUND_DNS_SERVERS, OUTBOUND_DNS_CACHE. */
export const outboundPolicyFrom = (config: AppConfig): OutboundPolicy =>
  new OutboundPolicy(
    OutboundAllowList.parse(config.outbound.allowedHosts).allowList,
    new CachingResolver(
      config.outbound.dnsServers.length > 0 ? dnsServersResolver(config.outbound.dnsServers) : systemResolver,
      config.outbound.dnsCacheMs,
    ),
  );

/** Closes the outbound connection pools when the application stops. */
@Injectable()
class OutboundConnections implements OnApplicationShutdown {
  constructor(@Inject(OutboundHttp) private readonly http: OutboundHttp) {}

  onApplicationShutdown(): Promise<void> {
    return this.http.close();
  }
}

/** One outbound policy and one HTTP client under it, for every context that fetches users' URLs. */
@Global()
@Module({
  providers: [
    { provide: OutboundPolicy, inject: [APP_CONFIG], useFactory: outboundPolicyFrom },
    {
      provide: OutboundHttp,
      inject: [OutboundPolicy],
      useFactory: (policy: OutboundPolicy) => new OutboundHttp(policy),
    },
    OutboundConnections,
  ],
  exports: [OutboundPolicy, OutboundHttp],
})
export class OutboundModule {}
