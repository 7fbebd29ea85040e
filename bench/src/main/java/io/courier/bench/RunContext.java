package io.courier.bench;

import io.courier.client.ClientResources;
import io.courier.client.http.CourierHttp;

import java.io.PrintStream;
import java.nio.file.Path;

/** What every scenario gets: where the server is, shared client resources, and where to write. */
record RunContext(Target target, ClientResources resources, CourierHttp http, Path outDir, PrintStream log, String runId) {
}
