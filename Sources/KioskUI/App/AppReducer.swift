// The one pure reducer: (state, action, now) -> state and effects. The hallway (navigation, flows,
// language, overlays, idle) is handled here; each room's actions go to its own reducer. No I/O, no clock
// reads, no SDL.
import Foundation
import KioskCore

public enum Physics {
    /// Fling decay per second (velocity multiplier); about 0.35 s to lose two thirds of the speed.
    public static let flingDecayPerSecond = 0.05
    public static let flingStopSpeed = 40.0
    public static let frameInterval = 1.0 / 60.0
}

public func reduce(_ s: inout AppState, _ action: Action, now: Instant) -> [Effect] {
    let before = s.screen
    var effects = reduceAction(&s, action, now: now)
    if s.screen != before {
        // Arriving somewhere: what the screen left behind goes, and a list a feed changed is read again.
        if before == .ticketLookup { closeLookup(&s) }
        s.report.awaitingNearby = nil
        s.keyFocus = nil
        effects += reloadStaleLists(&s)
    }
    return effects
}

private func reduceAction(_ s: inout AppState, _ action: Action, now: Instant) -> [Effect] {
    s.now = now
    if action.isResidentInput {
        s.lastActivity = now
        if s.resetAt != nil, action != .moreTime {
            // Any touch while the warning shows means the resident is still there.
            s.resetAt = nil
        }
        // A resident at the screen again: a reset still waiting for the last one's work must not clear theirs.
        s.resetWaitUntil = nil
    }
    // Staff leaving maintenance by Back, Home or a key: everything goes, as at an idle reset.
    if s.inMaintenance, action == .back || action == .home {
        s = s.afterReset(at: now)
        return []
    }
    switch action {
    case let .openTile(tile):
        s.fling = nil
        switch tile {
        case .kb: return push(&s, .categories)
        case .search: return openSearch(&s)
        case .report: return startReport(&s, service: nil)
        case .ticket: return openLookup(&s)
        }

    case let .setLanguage(lang):
        guard s.languages.contains(lang) else { return [] }
        s.language = lang
        s.keyboard.latin = false
        return []

    case .toggleLargeText:
        s.largeText.toggle()
        return []

    case .toggleContrast:
        s.highContrast.toggle()
        return []

    case .toggleSpeech:
        s.speech.on.toggle()
        s.speech.paused = false
        return []

    case let .speech(control):
        s.speech.apply(control)
        return []

    case .openAccessibility:
        s.fling = nil
        return push(&s, .accessibility)

    case .back:
        s.fling = nil
        s.notice = nil
        if s.report.saving { return [] } // a submission being saved finishes first: it takes milliseconds
        if let flow = s.flow, flow.steps.indices.contains(flow.step), s.screen != flow.steps[flow.step] {
            // A screen beside the flow's steps (the call-112 message) goes back to the step under it.
            s.path.removeLast()
            return []
        }
        if var flow = s.flow, flow.step > 0 {
            // Inside a multi-step flow, back is the previous step, and what was typed stays.
            flow.step -= 1
            s.flow = flow
            if s.path.count > 1 { s.path.removeLast() }
            return []
        }
        if s.flow != nil { return leave(&s, to: .back) }
        if s.path.count > 1 { s.path.removeLast() }
        return s.screen == .categories && s.browse.categories == nil ? [.store(.loadCategories)] : []

    case .home:
        s.fling = nil
        s.notice = nil
        if s.report.saving { return [] }
        if s.flow != nil { return leave(&s, to: .home) }
        if s.screen == .ticket { s.report.ticket = nil; s.report.joined = nil }
        s.path = [.home]
        return []

    case let .leaveFlow(confirmed):
        guard let target = s.confirmLeave else { return [] }
        s.confirmLeave = nil
        guard confirmed else { return [] }
        endFlow(&s)
        go(&s, target)
        return []

    case let .scrollBy(id, dy):
        s.fling = nil
        s.scroll[id] = clampScroll(s, id, (s.scroll[id] ?? 0) + dy)
        return []

    case let .fling(id, v):
        s.fling = abs(v) > Physics.flingStopSpeed ? Fling(scrollID: id, velocity: v, lastTime: now) : nil
        return []

    case let .press(id):
        s.pressed = id
        return []

    case let .keyFocus(id):
        s.keyFocus = id
        return []

    case .dismissNotice:
        s.notice = nil
        return []

    case .moreTime:
        s.resetAt = nil
        s.lastActivity = now
        return []

    case let .browse(a):
        return reduceBrowse(&s, a)

    case let .search(a):
        return reduceSearch(&s, a)

    case let .report(a):
        return reduceReport(&s, a)

    case let .lookup(a):
        return reduceLookup(&s, a)

    case let .maintenance(a):
        return reduceMaintenance(&s, a, now: now)

    case .knowledgeBaseUpdated:
        markListsStale(&s)
        return []

    case let .field(a):
        if case let .focus(id) = a, s.flow?.id == ReportFlow.id, s.fields[id] != nil {
            // Touching a place's field chooses that place.
            if id == ElementID.reportStreet || id == ElementID.reportNumber { s.report.location = .street }
            if id == ElementID.reportLandmark { s.report.location = .landmark }
        }
        return fieldChanged(&s, reduceField(&s, a))

    case let .keyboard(a):
        return fieldChanged(&s, reduceKeyboard(&s, a))

    case let .scrollLimits(limits):
        s.scrollLimits = limits
        for (id, _) in limits { s.scroll[id] = clampScroll(s, id, s.scroll[id] ?? 0) }
        return []

    case let .residentWork(delta):
        s.residentWork = max(0, s.residentWork + delta)
        if s.residentWork == 0, s.resetWaiting { s = s.afterReset(at: now) }
        return []

    case .tick:
        return advanceTime(&s, now)
    }
}

/// The room that owns a field reacts to its change.
private func fieldChanged(_ s: inout AppState, _ change: FieldChange?) -> [Effect] {
    guard let change else { return [] }
    if change.id == ElementID.searchQuery { return searchQueryChanged(&s) }
    if change.id == ElementID.lookupNumber { lookupFieldChanged(&s); return [] }
    if s.flow?.id == ReportFlow.id { return reportFieldChanged(&s, change.id) }
    return []
}

/// Leaving a flow: straight away when nothing was typed, otherwise after the resident confirms.
private func leave(_ s: inout AppState, to target: LeaveTarget) -> [Effect] {
    guard let flow = s.flow else { return [] }
    let typed = flow.fieldIDs.contains { !(s.fields[$0]?.value.isEmpty ?? true) }
    if typed {
        s.confirmLeave = target
        return []
    }
    endFlow(&s)
    go(&s, target)
    return []
}

private func go(_ s: inout AppState, _ target: LeaveTarget) {
    switch target {
    case .home: s.path = [.home]
    case .back: if s.path.count > 1 { s.path.removeLast() }
    }
}

/// A flow's typed data goes with it: nothing a resident typed stays for the next one.
func endFlow(_ s: inout AppState) {
    guard let flow = s.flow else { return }
    for id in flow.fieldIDs { s.fields[id] = nil }
    if let f = s.focus, flow.fieldIDs.contains(f) { s.focus = nil }
    if flow.id == ReportFlow.id { s.report = ReportState() }
    s.flow = nil
}

/// Starts a flow on its first step (used by the report form; tests drive it with any screens).
public func startFlow(_ s: inout AppState, _ flow: FlowState, fields: [TextFieldState]) {
    s.flow = flow
    for f in fields { s.fields[f.id] = f }
    if let first = flow.steps.first { s.path.append(first) }
}

/// Moves a flow to its next step.
public func nextStep(_ s: inout AppState) {
    guard var flow = s.flow, flow.step + 1 < flow.steps.count else { return }
    flow.step += 1
    s.flow = flow
    s.path.append(flow.steps[flow.step])
}

private func clampScroll(_ s: AppState, _ id: String, _ v: Double) -> Double {
    let limit = s.scrollLimits[id] ?? .infinity
    return min(max(0, v), limit)
}

/// Time-driven changes: fling animation and the idle warning and reset.
private func advanceTime(_ s: inout AppState, _ now: Instant) -> [Effect] {
    expireLookup(&s, now)
    expireNearbyWait(&s, now)
    if var f = s.fling {
        let dt = max(0, now - f.lastTime)
        if dt > 0 {
            let decay = pow(Physics.flingDecayPerSecond, dt)
            // Distance is the integral of v·decay^t over dt.
            let k = log(Physics.flingDecayPerSecond)
            let distance = f.velocity * (decay - 1) / k
            let before = s.scroll[f.scrollID] ?? 0
            let after = clampScroll(s, f.scrollID, before + distance)
            s.scroll[f.scrollID] = after
            f.velocity *= decay
            f.lastTime = now
            let hitEdge = after == before && distance != 0
            s.fling = (abs(f.velocity) < Physics.flingStopSpeed || hitEdge) ? nil : f
        }
    }
    if s.inMaintenance {
        // Staff get no "more time?" warning; maintenance simply closes after its own quiet time.
        if now >= s.lastActivity + MaintenancePolicy.leaveAfter { s = s.afterReset(at: now) }
        return []
    }
    if let resetAt = s.resetAt, now >= resetAt {
        if s.residentWork > 0 {
            // A service is still working for this resident (saving what they filed): clear the screen only
            // when its answer is in, so nothing in flight is dropped; at most one more reset period.
            s.resetWaitUntil = now + s.idleInForce.resetAfter
            s.resetAt = nil
            return []
        }
        // Everything goes, loaded lists too: they are re-read on the next visit, so a new day's
        // validity rules apply to the next resident.
        s = s.afterReset(at: now)
        return []
    }
    if let until = s.resetWaitUntil, now >= until {
        s = s.afterReset(at: now) // the service never answered: the next resident must not inherit the screen
        return []
    }
    if s.resetAt == nil, !s.resetWaiting, !s.isPristine, now >= s.lastActivity + s.idleInForce.warnAfter {
        if s.showsOnlyHome {
            // Only leftovers behind the home screen (a typed query, loaded lists): clear them without asking.
            s = s.afterReset(at: now)
            return []
        }
        s.resetAt = s.lastActivity + s.idleInForce.warnAfter + s.idleInForce.resetAfter
        s.notice = nil
        s.pressed = nil
    }
    return []
}

extension AppState {
    /// The next instant the reducer wants a `.tick`, or nil when nothing is pending (an idle kiosk sleeps).
    public func nextDeadline() -> Instant? {
        var next: Instant?
        func consider(_ t: Instant) { next = min(next ?? t, t) }
        if let f = fling { consider(f.lastTime + Physics.frameInterval) }
        // Waits on a service that may never answer end by themselves.
        if let t = lookup.waitUntil { consider(t) }
        if let t = report.awaitingNearby { consider(t) }
        if inMaintenance {
            consider(lastActivity + MaintenancePolicy.leaveAfter)
        } else if let resetAt {
            // Once a second for the countdown on the warning, then the reset itself.
            let remaining = resetAt - now
            let step = remaining - (remaining.rounded(.up) - 1)
            consider(min(resetAt, now + max(0.001, step)))
        } else if let resetWaitUntil {
            consider(resetWaitUntil)
        } else if !isPristine {
            consider(lastActivity + idleInForce.warnAfter)
        }
        return next
    }

    /// Whole seconds left on the idle warning, for the countdown.
    public var secondsUntilReset: Int? {
        resetAt.map { max(0, Int(($0 - now).rounded(.up))) }
    }
}
