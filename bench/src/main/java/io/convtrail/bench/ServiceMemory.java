package io.convtrail.bench;

/** The service's memory at one moment: heap live set (after a full GC), heap committed, RSS. */
record ServiceMemory(long heapUsed, long heapCommitted, long rss) {

    static ServiceMemory of(ServiceProcess service) throws Exception {
        long[] heap = service.heapAfterFullGc();
        return new ServiceMemory(heap[0], heap[1], service.rssBytes());
    }

    static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
