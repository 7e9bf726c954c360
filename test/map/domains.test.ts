import { describe, expect, it } from 'vitest';
import { safariConfig } from '../../src/config/schema.js';
import { assignDomains } from '../../src/map/domains.js';

const config = (domains: Record<string, unknown> = {}) => safariConfig.parse({ domains });

describe('assignDomains', () => {
  it('infers a domain from a common first segment when it has two tables or more; singletons go to other', () => {
    const { domains, domainOf } = assignDomains(['meadow_posts', 'meadow_votes', 'observability_metrics', 'feedback', 'themes'], config());
    expect(domains).toEqual([
      { name: 'meadow', configured: false, tables: ['meadow_posts', 'meadow_votes'] },
      { name: 'other', configured: false, tables: ['feedback', 'observability_metrics', 'themes'] },
    ]);
    expect(domainOf.get('observability_metrics')).toBe('other');
  });

  it('puts a bare name with the group it names, singular or as is (posts, media, categories)', () => {
    const { domains } = assignDomains(['posts', 'post_tags', 'media', 'media_folders', 'categories', 'category_links', 'users'], config());
    expect(domains.map((d) => `${d.name}: ${d.tables.join(' ')}`)).toEqual([
      'category: categories category_links',
      'media: media media_folders',
      'other: users',
      'post: post_tags posts',
    ]);
  });

  it('never splits a configured domain: listed tables and prefixes win, and an inferred group of its name joins it', () => {
    const { domains } = assignDomains(
      ['users', 'sessions', 'auth_tokens', 'auth_codes', 'shop_carts', 'shop_orders', 'products', 'product_variants'],
      config({
        auth: { database: 'db', tables: ['users', 'sessions'], prefixes: ['auth_'] },
        shop: { database: 'db', tables: ['products'] },
      }),
    );
    expect(domains).toEqual([
      { name: 'auth', configured: true, tables: ['auth_codes', 'auth_tokens', 'sessions', 'users'] },
      { name: 'other', configured: false, tables: ['product_variants'] },
      { name: 'shop', configured: true, tables: ['products', 'shop_carts', 'shop_orders'] },
    ]);
  });

  it('keeps a configured domain with one table, and lets a leading underscore be part of the name', () => {
    const { domains } = assignDomains(['billing', '_cf_kv', '_meta'], config({ billing: { database: 'db', tables: ['billing'] } }));
    expect(domains).toEqual([
      { name: 'billing', configured: true, tables: ['billing'] },
      { name: 'other', configured: false, tables: ['_cf_kv', '_meta'] },
    ]);
  });
});
