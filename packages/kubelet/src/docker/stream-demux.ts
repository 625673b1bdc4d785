// Docker's multiplexed stream (logs, attach and exec without a TTY): frames of an 8-byte header
// [stream type 0|1|2, 0, 0, 0, payload size uint32 big-endian] followed by the payload. TCP/unix reads cut frames
// anywhere, so the parser keeps what it has not consumed yet.

export type StreamName = 'stdin' | 'stdout' | 'stderr';

export interface DemuxedFrame {
  stream: StreamName;
  data: Buffer;
}

const HEADER_BYTES = 8;
const STREAM_NAMES: readonly StreamName[] = ['stdin', 'stdout', 'stderr'];

export class StreamDemuxError extends Error {
  override readonly name = 'StreamDemuxError';
}

/** Incremental parser: feed chunks with push(), get complete frames back. */
export class StreamDemuxer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Returns every frame completed by this chunk (possibly none). Throws on a header that is not Docker's. */
  push(chunk: Buffer): DemuxedFrame[] {
    if (chunk.length > 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
    }
    const frames: DemuxedFrame[] = [];
    while (this.pendingBytes >= HEADER_BYTES) {
      const buffered = this.flatten();
      const type = buffered[0] ?? 255;
      const stream = STREAM_NAMES[type];
      if (stream === undefined || buffered[1] !== 0 || buffered[2] !== 0 || buffered[3] !== 0) {
        throw new StreamDemuxError(`not a Docker stream frame header: ${buffered.subarray(0, HEADER_BYTES).toString('hex')}`);
      }
      const size = buffered.readUInt32BE(4);
      if (buffered.length < HEADER_BYTES + size) break;
      // Copy out so a frame does not pin the whole (possibly large) read buffer.
      frames.push({ stream, data: Buffer.from(buffered.subarray(HEADER_BYTES, HEADER_BYTES + size)) });
      const rest = buffered.subarray(HEADER_BYTES + size);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingBytes = rest.length;
    }
    return frames;
  }

  /** Bytes of an incomplete frame still held; non-zero at end of stream means the stream was cut mid-frame. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  private flatten(): Buffer {
    if (this.pending.length !== 1) this.pending = [Buffer.concat(this.pending, this.pendingBytes)];
    return this.pending[0] ?? Buffer.alloc(0);
  }
}

/** Demultiplexes a whole byte stream into frames; a trailing partial frame is dropped (the connection was cut). */
export async function* demuxStream(source: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<DemuxedFrame> {
  const demuxer = new StreamDemuxer();
  for await (const chunk of source) {
    const frames = demuxer.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    for (const frame of frames) yield frame;
  }
}

/** Builds one frame, the inverse of the parser (tests, and anything that must speak the format). */
export function encodeFrame(stream: StreamName, data: Buffer | string): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data) : data;
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = STREAM_NAMES.indexOf(stream);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}
