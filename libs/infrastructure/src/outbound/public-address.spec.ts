import { addressRange, isPublicUnicast } from './public-address.js';

describe('which addresses count as public unicast', () => {
  it.each([
    ['10.0.0.5', 'private'],
    ['172.16.3.4', 'private'],
    ['192.168.1.20', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.251', 'multicast'],
    ['192.0.2.10', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['::ffff:127.0.0.1', 'ipv4Mapped'],
    ['::ffff:8.8.8.8', 'ipv4Mapped'],
    ['::7f00:1', 'non-global'],
    ['::808:808', 'non-global'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:a00:1::1', '6to4'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
    ['2001:db8::1', 'reserved'],
    ['100::1', 'discard'],
    ['ff02::1', 'multicast'],
  ])('refuses %s (%s)', (address, range) => {
    expect(addressRange(address)).toBe(range);
    expect(isPublicUnicast(address)).toBe(false);
  });

  it.each(['93.184.215.14', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:81b::200e'])(
    'accepts %s',
    (address) => expect(isPublicUnicast(address)).toBe(true),
  );

  it('refuses IPv4-compatible addresses written with a dotted quad', () => {
    expect(isPublicUnicast('::127.0.0.1')).toBe(false);
    expect(isPublicUnicast('::8.8.8.8')).toBe(false);
  });

  it('refuses what is not an address at all', () => {
    expect(isPublicUnicast('example.org')).toBe(false);
    expect(isPublicUnicast('')).toBe(false);
  });
});
