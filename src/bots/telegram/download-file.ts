// Downloads a file a learner sent (getFile, then GET <apiRoot>/file/bot<token>/<file_path>), with a size cap.
// The download URL contains the token: errors are rethrown without it.
import type { Api } from 'grammy';
import { scrubSecrets } from '../../logger.ts';

/** Downloads a file; `maxBytes` lowers or raises the downloader's default cap for this one file. */
export type FileDownloader = (fileId: string, maxBytes?: number) => Promise<Uint8Array>;

export class FileTooLargeError extends Error {}

const DOWNLOAD_TIMEOUT_MS = 30_000;

export function createFileDownloader(api: Api, token: string, apiRoot: string, defaultMaxBytes: number): FileDownloader {
  return async (fileId, maxBytes = defaultMaxBytes) => {
    const file = await api.getFile(fileId);
    if (!file.file_path) throw new Error('telegram: getFile returned no file_path');
    if (file.file_size !== undefined && file.file_size > maxBytes) throw new FileTooLargeError(`file of ${file.file_size} bytes`);
    let response: Response;
    try {
      response = await fetch(`${apiRoot}/file/bot${token}/${file.file_path}`, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    } catch (err) {
      throw new Error(scrubSecrets(`telegram: file download failed: ${(err as Error).message}`));
    }
    if (!response.ok || !response.body) throw new Error(`telegram: file download failed with HTTP ${response.status}`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new FileTooLargeError(`file larger than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  };
}
