import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, zstdDecompress } from 'node:zlib';
import { SnapshotParseError } from '@app/registry-formats';

type Decoder = (content: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>;

const DECODERS: Record<string, { name: string; decode: Decoder }> = {
  gzip: { name: 'gzip', decode: promisify(gunzip) },
  'x-gzip': { name: 'gzip', decode: promisify(gunzip) },
  deflate: { name: 'deflate (zlib)', decode: promisify(inflate) },
  br: { name: 'Brotli', decode: promisify(brotliDecompress) },
  zstd: { name: 'zstd', decode: promisify(zstdDecompress) },
};

/** The `Content-Encoding`s of a snapshot's body that ingestion undoes itself (any other is refused unread, 415). */
export const isSnapshotContentEncoding = (encoding: string): boolean => Object.hasOwn(DECODERS, encoding);

/**
 * The snapshot a body encoded as its `Content-Encoding` says holds. A body that is not such data is
 * `snapshot.malformed`, naming the encoding, so that it is kept, rejected, as received; one that
 * decodes to more than `maxBytes` is `snapshot.too-large`, found without decoding the rest.
 */
export const decodeContentEncoding = async (
  content: Buffer,
  encoding: string | null,
  maxBytes: number,
): Promise<Buffer> => {
  const decoder = encoding === null ? undefined : DECODERS[encoding];
  if (!decoder || content.byteLength === 0) return content;
  try {
    return await decoder.decode(content, { maxOutputLength: maxBytes });
  } catch (error) {
    const cause = (error as Error).message;
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new SnapshotParseError(
        'snapshot.too-large',
        `The snapshot is more than ${maxBytes} bytes once its ${decoder.name} encoding is undone; the limit is ${maxBytes} bytes`,
        { maxBytes, contentEncoding: encoding },
      );
    }
    throw new SnapshotParseError(
      'snapshot.malformed',
      `The body is not ${decoder.name} data, as its Content-Encoding: ${encoding} says (${cause}); it is kept as received`,
      { contentEncoding: encoding, cause },
    );
  }
};
