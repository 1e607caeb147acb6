package dev.finetune4j.server;

/** The parts of a running server that request handlers share. */
record Services(Database db, Projects projects, FileStore files, JobStore jobs, Blobs blobs, Engine engine,
                ModelCatalog catalog, Scheduler scheduler, ChatModels chatModels, GraderModels graderModels,
                PythonGraderAccess pythonGraders, String organizationId, Limits limits) {

    /** Size limits; the defaults are the service's. */
    record Limits(long maxFileBytes, long maxPartBytes, long maxUploadBytes) {
        static final Limits DEFAULT = new Limits(512L << 20, 64L << 20, 8L << 30);
    }
}
