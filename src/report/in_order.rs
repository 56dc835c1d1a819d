//! Rendering a long report on two threads, written in order (issue #13: rendering was most of
//! the text report's cost, and a large part of the JSON report's).

use super::Finding;

/// Findings rendered per hand-over between the two threads.
pub(super) const RUN: usize = 32;

/// Whether to render on two threads: a report of a few hundred findings and up, where the
/// second thread's start is paid back.
pub(super) fn worth_two_threads(findings: &[Finding<'_>]) -> bool {
    findings.len() >= 8 * RUN && crate::threads::more_than_one()
}

/// A function that appends finding number `i`'s text to a string.
pub(super) type Render<'r> = dyn FnMut(usize, &Finding<'_>, &mut String) + 'r;

/// Runs its argument (the work of one thread) with that thread's [`Render`].
pub(super) type WithRenderer<'w> = dyn Fn(&mut dyn FnMut(&mut Render<'_>)) + Sync + 'w;

/// Each finding's text, handed to `emit` in order. With `parallel`, a second thread renders
/// every other run of [`RUN`] findings while this one renders the others and emits all of them
/// in order; at most two runs wait to be emitted, so the report is never held whole.
///
/// `with_renderer` is called once on each thread with a body to run with that thread's
/// renderer (a renderer may keep caches: they stay on their thread); a finding's text must
/// not depend on which thread rendered it.
pub(super) fn render_in_order(
    findings: &[Finding<'_>],
    parallel: bool,
    with_renderer: &WithRenderer<'_>,
    emit: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut result = Ok(());
    if !parallel {
        with_renderer(&mut |render| {
            let mut out = String::new();
            for (i, f) in findings.iter().enumerate() {
                out.clear();
                render(i, f, &mut out);
                if let Err(e) = emit(&out) {
                    result = Err(e);
                    return;
                }
            }
        });
        return result;
    }
    let runs: Vec<&[Finding<'_>]> = findings.chunks(RUN).collect();
    let runs = &runs;
    // This thread waits for the helper's text: kept on its CPU, it does not wake on the
    // helper's (see `threads::keep_here`).
    let _kept = crate::threads::keep_here();
    std::thread::scope(|s| {
        let (rendered, from_helper) = std::sync::mpsc::sync_channel::<String>(2);
        let helper = crate::threads::spawn_beside(s, move || {
            with_renderer(&mut |render| {
                for (k, run) in runs.iter().enumerate().skip(1).step_by(2) {
                    let mut text = String::new();
                    for (j, f) in run.iter().enumerate() {
                        render(k * RUN + j, f, &mut text);
                    }
                    // A closed channel: this thread's output is no longer wanted (a write
                    // failed).
                    if rendered.send(text).is_err() {
                        return;
                    }
                }
            });
        });
        // No thread to be had (a process limit): every run is rendered here.
        let helped = helper.is_ok();
        with_renderer(&mut |render| {
            let mut out = String::new();
            for (k, run) in runs.iter().enumerate() {
                if helped && k % 2 == 1 {
                    let text = from_helper
                        .recv()
                        .expect("the report's second thread stopped");
                    if let Err(e) = emit(&text) {
                        result = Err(e);
                        return;
                    }
                    continue;
                }
                for (j, f) in run.iter().enumerate() {
                    out.clear();
                    render(k * RUN + j, f, &mut out);
                    if let Err(e) = emit(&out) {
                        result = Err(e);
                        return;
                    }
                }
            }
        });
    });
    result
}

/// A function writing finding number `i` as a value of serde_json's pretty layout.
pub(super) type WriteElement<'w> =
    dyn Fn(&mut super::pretty::Pretty<'_>, usize, &Finding<'_>) + Sync + 'w;

/// A JSON array of the findings, as serde_json's pretty layout writes it inside `level`
/// brackets (the JSON and SARIF reports): `[]`, or `[`, each finding's separator, line break
/// and what `write` writes of it ([`render_in_order`]: on two threads with `parallel`), and the
/// closing bracket on a line of its own.
pub(super) fn json_array(
    findings: &[Finding<'_>],
    parallel: bool,
    level: usize,
    write: &WriteElement<'_>,
    emit: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if findings.is_empty() {
        return emit("[]");
    }
    emit("[")?;
    render_in_order(
        findings,
        parallel,
        &|body| {
            body(&mut |i, f, out| {
                let mut p = super::pretty::Pretty::at_level(out, level + 1);
                p.element(i == 0);
                write(&mut p, i, f);
            })
        },
        emit,
    )?;
    let mut end = String::new();
    let mut p = super::pretty::Pretty::at_level(&mut end, level + 1);
    p.done();
    p.close(']');
    emit(&end)
}
