package dev.finetune4j.client;

import dev.finetune4j.api.UploadPart;
import java.nio.file.Path;

/** {@code /uploads/{id}/parts}, under the SDKs' name: {@code client.uploads().parts().create(uploadId, bytes)}. */
public final class UploadPartService {
    private final UploadService uploads;

    UploadPartService(UploadService uploads) {
        this.uploads = uploads;
    }

    /** Adds a part from memory (at most 64 MB): {@code parts().create(uploadId, bytes).id()}. */
    public UploadPart create(String uploadId, byte[] data) {
        return uploads.addPart(uploadId, data);
    }

    /** As {@link #create(String, byte[])}, with per-request options. */
    public UploadPart create(String uploadId, byte[] data, RequestOptions options) {
        return uploads.addPart(uploadId, data, options);
    }

    /** Adds {@code length} bytes of {@code file} from {@code offset}, streamed from disk. */
    public UploadPart create(String uploadId, Path file, long offset, long length) {
        return uploads.addPart(uploadId, file, offset, length);
    }

    /** As {@link #create(String, Path, long, long)}, with per-request options. */
    public UploadPart create(String uploadId, Path file, long offset, long length, RequestOptions options) {
        return uploads.addPart(uploadId, file, offset, length, options);
    }
}
