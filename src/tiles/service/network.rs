//! The tile service's network side: one request with its timeouts, what a failure means
//! ([`SourceStatus`]), and the back-off that gates a failing stack's requests.

use super::*;

/// Ask the server for a tile: its bytes, `None` for no tile there, or what went wrong.
fn fetch(client: &reqwest::blocking::Client, url: &str) -> Result<Option<Vec<u8>>, SourceStatus> {
    match client.get(url).send() {
        Ok(resp) => {
            let status = resp.status().as_u16();
            match status {
                200..=299 => match resp.bytes() {
                    Ok(b) if status == 204 || b.is_empty() => Ok(None),
                    Ok(b) => Ok(Some(b.to_vec())),
                    Err(e) => Err(transport_status(&e)),
                },
                404 | 410 => Ok(None),
                401 | 403 => {
                    let body = resp.text().unwrap_or_default();
                    Err(refusal(status, &body))
                }
                _ => Err(SourceStatus::ServerError(format!("HTTP {status}"))),
            }
        }
        Err(e) => Err(transport_status(&e)),
    }
}

/// Count a failed request against a web stack (back off, or stop for a refused key); returns
/// the line to log the first time the stack fails in this session.
fn record_failure(inner: &Inner, stack: usize, status: SourceStatus) -> Option<String> {
    let stack_id = &inner.stack_ids[stack];
    let mut st = inner.lock();
    let h = st.health.get_mut(stack)?;
    h.probing = false;
    h.failures = h.failures.saturating_add(1);
    h.fatal = matches!(status, SourceStatus::BrowserKey | SourceStatus::Refused(..));
    let factor = 1u32 << (h.failures - 1).min(10);
    let wait = inner
        .opts
        .first_backoff
        .saturating_mul(factor)
        .min(inner.opts.max_backoff);
    h.until = Some(Instant::now() + wait);
    let first = !h.logged
        && inner
            .opts
            .logged
            .lock()
            .map(|mut set| set.insert(stack_id.clone()))
            .unwrap_or(true);
    h.logged = true;
    let note = status.note(false).unwrap_or_default();
    h.status = Some(status);
    first.then(|| format!("basemap {} ({stack_id}): {note}", inner.spec.name_en))
}

/// Whether a web stack may send a request now.
enum Gate {
    /// Yes.
    Go,
    /// Not now: backing off, or another request is probing the server.
    Wait,
    /// Never: the server refused for good (e.g. a bad key).
    Never,
}

/// May a request to stack `stack` go out now? After failures, one request at a time probes the
/// server (this one, which is then marked as the probe).
fn may_request(inner: &Inner, stack: usize) -> Gate {
    let mut st = inner.lock();
    let Some(h) = st.health.get_mut(stack) else {
        return Gate::Wait;
    };
    if h.fatal {
        return Gate::Never;
    }
    if h.probing || h.until.is_some_and(|u| u > Instant::now()) {
        return Gate::Wait;
    }
    if h.failures > 0 {
        h.probing = true;
    }
    Gate::Go
}

/// A request to stack `stack` succeeded: its health starts afresh (keeping what was logged).
fn record_success(inner: &Inner, stack: usize) {
    let mut st = inner.lock();
    if let Some(h) = st.health.get_mut(stack) {
        *h = Health {
            status: Some(SourceStatus::Ok),
            logged: h.logged,
            ..Health::default()
        };
    }
}

/// One web stack's bytes for a tile: fresh from the disk cache, else from the server (when it
/// is not backing off), else stale from the disk cache.
pub(super) fn web_tile(
    inner: &Inner,
    stack: usize,
    template: &str,
    subdomains: &[String],
    key: TileKey,
    client: Option<&reqwest::blocking::Client>,
) -> Got {
    let stack_id = &inner.stack_ids[stack];
    let cached = inner
        .opts
        .cache
        .as_ref()
        .and_then(|c| c.get(stack_id, key.z, key.x, key.y));
    if let Some((bytes, age)) = &cached
        && *age < inner.opts.refresh_after
    {
        return Got::Bytes(bytes.clone());
    }
    let stale_or = |otherwise: Got| match &cached {
        Some((b, _)) => Got::Bytes(b.clone()),
        None => otherwise,
    };
    let stale = || stale_or(Got::Later);
    if inner.spec.needs_key && inner.spec.key.is_none() {
        return stale_or(Got::Unavailable);
    }
    let Some(client) = client else {
        return stale_or(Got::Unavailable);
    };
    match may_request(inner, stack) {
        Gate::Go => {}
        Gate::Wait => return stale(),
        Gate::Never => return stale_or(Got::Unavailable),
    }
    let url = tile_url(
        template,
        subdomains,
        key.z,
        key.x,
        key.y,
        inner.spec.key.as_deref().unwrap_or(""),
    );
    let result = fetch(client, &url);
    match result {
        Ok(bytes) => {
            record_success(inner, stack);
            inner.wake.notify_all();
            match bytes {
                Some(b) => {
                    if let Some(c) = &inner.opts.cache {
                        c.put(stack_id, key.z, key.x, key.y, &b);
                    }
                    Got::Bytes(b)
                }
                None => Got::Missing,
            }
        }
        Err(status) => {
            let line = record_failure(inner, stack, status);
            if let Some(line) = line {
                (inner.opts.log)(&line);
            }
            inner.wake.notify_all();
            (inner.notify)();
            let fatal = inner.lock().health.get(stack).is_some_and(|h| h.fatal);
            if fatal {
                stale_or(Got::Unavailable)
            } else {
                stale()
            }
        }
    }
}

/// The status for a failed connection or read. Only the cause is kept: the error's own text
/// names the URL, which may hold the key.
fn transport_status(e: &reqwest::Error) -> SourceStatus {
    if e.is_timeout() {
        SourceStatus::TimedOut
    } else if e.is_connect() || e.is_request() {
        SourceStatus::Offline
    } else {
        SourceStatus::ServerError(
            std::error::Error::source(e)
                .map_or_else(|| "connection failed".into(), |s| s.to_string()),
        )
    }
}

/// Read a 401/403 answer: Tianditu's JSON/XML body names a code; 301012 means a browser-type key.
pub fn refusal(status: u16, body: &str) -> SourceStatus {
    if body.contains("301012") {
        return SourceStatus::BrowserKey;
    }
    let code = body
        .split(|c: char| !c.is_ascii_digit())
        .find(|t| t.len() == 6 && t.starts_with('3'))
        .map(str::to_owned);
    SourceStatus::Refused(status, code)
}
