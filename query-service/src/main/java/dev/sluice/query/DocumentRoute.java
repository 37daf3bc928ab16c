package dev.sluice.query;

import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.PointPayload;
import dev.sluice.index.VectorIndex;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code GET /v1/documents/{docId}} (the id URL-encoded, or with its slashes as they are): the status of one document of the caller's tenant. A document
 * whose every chunk is restricted to groups the caller is not in answers 404 like an unknown one, so
 * the status API never confirms what search would hide.
 */
final class DocumentRoute {
  private final DocumentRegistry registry;
  private final VectorIndex index;

  DocumentRoute(DocumentRegistry registry, VectorIndex index) {
    this.registry = registry;
    this.index = index;
  }

  void handle(Context ctx, AuthTokens.Caller caller) {
    // Javalin has already URL-decoded the path parameter; decoding again would corrupt ids with '%' or '+'.
    String docId = ctx.pathParam("docId");
    var status = registry.get(caller.tenant(), docId).filter(s -> visible(caller, docId))
        .orElseThrow(() -> new ApiError(404, "document-not-found", "no document '" + docId + "' for your tenant"));
    ctx.json(ApiResponses.DocumentStatusResponse.of(status));
  }

  private boolean visible(AuthTokens.Caller caller, String docId) {
    List<PointPayload> points = index.documentPoints(caller.tenant(), docId);
    return points.isEmpty() || points.stream().anyMatch(p -> p.aclGroups().isEmpty()
        || p.aclGroups().stream().anyMatch(caller.groups()::contains));
  }
}
