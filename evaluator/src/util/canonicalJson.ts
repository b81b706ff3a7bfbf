// RFC 8785 canonical JSON is a protocol encoding (report digests, suite ids): one implementation, there.
export { canonicalJson } from '@charter/contracts/protocol';
