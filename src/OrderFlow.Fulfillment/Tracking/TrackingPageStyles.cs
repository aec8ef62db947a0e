namespace OrderFlow.Fulfillment.Tracking;

/// <summary>The tracking page's stylesheet, served from its own URL so the page needs no inline style or script.</summary>
public static class TrackingPageStyles
{
    public const string Css = """
        :root { color-scheme: light; --ink: #1d2433; --muted: #667085; --line: #e4e7ec; --bg: #f5f6f8; --accent: #2e6be6; --ok: #13795b; --warn: #b54708; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--ink); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        main { max-width: 640px; margin: 0 auto; padding: 24px 16px 48px; }
        header { margin-bottom: 16px; }
        h1 { font-size: 1.6rem; margin: 0 0 8px; overflow-wrap: anywhere; }
        h2 { font-size: 1.1rem; margin: 0; }
        .shop { margin: 0 0 4px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; font-size: .8rem; }
        .status { display: inline-block; margin: 0 0 4px; padding: 4px 12px; border-radius: 999px; background: #e8effd; color: var(--accent); font-weight: 600; }
        .status-delivered { background: #e7f6ef; color: var(--ok); }
        .status-exception, .status-cancelled { background: #fef3e7; color: var(--warn); }
        .muted { color: var(--muted); font-size: .9rem; margin: 4px 0; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 16px; margin: 0 0 16px; }
        .parcel-head { display: flex; justify-content: space-between; align-items: center; gap: 8px; flex-wrap: wrap; margin-bottom: 8px; }
        .badge { padding: 2px 10px; border-radius: 999px; font-size: .85rem; font-weight: 600; background: #e8effd; color: var(--accent); white-space: nowrap; }
        .badge-Delivered { background: #e7f6ef; color: var(--ok); }
        .badge-Exception, .badge-AttemptFail, .badge-Expired { background: #fef3e7; color: var(--warn); }
        dl { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 8px 16px; margin: 8px 0 12px; }
        dt { color: var(--muted); font-size: .8rem; }
        dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
        dd.mono { overflow-wrap: normal; word-break: break-all; }
        .mono { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; }
        a { color: var(--accent); }
        .items { list-style: none; margin: 0 0 12px; padding: 8px 0; border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); }
        .items li { display: flex; justify-content: space-between; gap: 12px; padding: 2px 0; }
        .timeline { list-style: none; margin: 12px 0 0; padding: 0 0 0 20px; border-left: 2px solid var(--line); }
        .timeline li { position: relative; padding: 0 0 14px 8px; display: flex; flex-direction: column; }
        .timeline li::before { content: ""; position: absolute; left: -27px; top: 6px; width: 12px; height: 12px; border-radius: 50%; background: #fff; border: 2px solid var(--line); }
        .timeline li.latest::before { background: var(--accent); border-color: var(--accent); }
        .timeline li:last-child { padding-bottom: 0; }
        .timeline time { color: var(--muted); font-size: .85rem; }
        footer { margin-top: 24px; text-align: center; }
        """;
}
