package dev.finetune4j.client;

/** {@code /fine_tuning/checkpoints}: access to fine-tuned checkpoints. */
public final class CheckpointService {
    private final PermissionService permissions;

    CheckpointService(Transport transport) {
        this.permissions = new PermissionService(transport);
    }

    /** Which projects may use a checkpoint: {@code checkpoints().permissions().list(ckpt)}. */
    public PermissionService permissions() {
        return permissions;
    }
}
