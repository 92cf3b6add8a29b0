/**
 * The web dashboard on the admin listener ({@code /ui/}): its static assets, packed in this jar and served with
 * content types, validators and a strict content security policy ({@link io.shadowgate.admin.ui.DashboardAssets});
 * the JSON it needs beyond the other admin endpoints, per destination version from the metrics registry
 * ({@link io.shadowgate.admin.ui.VersionStatsEndpoint}, {@code /stats/versions}) and kept request/response pairs
 * ({@link io.shadowgate.admin.ui.SamplePairs}, {@code /compare/pairs}); and {@link io.shadowgate.admin.ui.Dashboard},
 * which registers them. The page itself only reads these endpoints and {@code /config}, {@code /config_dump},
 * {@code /compare}, and posts to {@code /rollback} and {@code /compare/reset} through the
 * {@link io.shadowgate.admin.http.BrowserRequestGuard}.
 */
package io.shadowgate.admin.ui;
