import Datasets
import Detection
import Engine
import Foundation

/// What a `train` cache entry records beside the weights.
struct TrainingRecord: Codable {
    var history: [EpochRecord]
    var seconds: Double
}

/// What a `score` cache entry records beside the scores.
struct ScoresRecord: Codable {
    var count: Int
    var threshold: Double?
    /// The terms the score combines (absent for one-term scores and older entries).
    var terms: [ScoredSamples.Term]?
}

/// Reading and writing the on-disk cache for `train` and `score`. A damaged entry is reported on
/// the progress stream and in the run section, removed, and recomputed.
extension LabRun {
    /// The running step's cache key: its fingerprint, what kind of result, and the engine version.
    func cacheKey(_ kind: String) -> String {
        SHA256.hex(of: Array("\(kind)\n\(stepFingerprint)\nengine \(Engine.version)".utf8))
    }

    func cachedTraining(_ key: String, into model: Model, name: String) -> TrainingRecord? {
        guard let entry = lookup(key, what: "model '\(name)'") else { return nil }
        do {
            let record = try JSONDecoder().decode(TrainingRecord.self, from: entry.metadata)
            try WeightsFile.decode(entry.payload, into: model, source: cache!.url(for: key).path)
            options.progress(.note("  model '\(name)' from the cache (trained in \(String(format: "%.1f", record.seconds)) s)"))
            return record
        } catch {
            discard(key, what: "model '\(name)'", reason: "\(error)")
            return nil
        }
    }

    func storeTraining(_ record: TrainingRecord, model: Model, key: String) {
        guard let metadata = try? JSONEncoder().encode(record) else { return }
        store(StepCache.Entry(metadata: metadata, payload: WeightsFile.encode(model)), key: key)
    }

    func cachedScores(_ key: String, count: Int, name: String) -> (values: [Double], terms: [ScoredSamples.Term], threshold: Double?)? {
        guard let entry = lookup(key, what: "scores '\(name)'") else { return nil }
        do {
            let record = try JSONDecoder().decode(ScoresRecord.self, from: entry.metadata)
            let values = try StepCache.doubles(from: entry.payload)
            guard values.count == count, record.count == count, (record.terms ?? []).allSatisfy({ $0.values.count == count }) else {
                throw StepCache.Damage(reason: "\(values.count) scores for \(count) samples")
            }
            options.progress(.note("  scores '\(name)' from the cache"))
            return (values, record.terms ?? [], record.threshold)
        } catch {
            discard(key, what: "scores '\(name)'", reason: "\(error)")
            return nil
        }
    }

    func storeScores(_ values: [Double], terms: [ScoredSamples.Term], threshold: Double?, key: String) {
        guard let metadata = try? JSONEncoder().encode(ScoresRecord(count: values.count, threshold: threshold, terms: terms.isEmpty ? nil : terms)) else { return }
        store(StepCache.Entry(metadata: metadata, payload: StepCache.bytes(of: values)), key: key)
    }

    /// The entry for `key`; on a miss, the key's lock is taken (waiting for another run that is
    /// computing the same entry) and held until the entry is stored or the step ends.
    private func lookup(_ key: String, what: String) -> StepCache.Entry? {
        guard let cache else { return nil }
        if let entry = entry(key, what: what) { return entry }
        guard let lock = CacheLock.acquire(key, in: cache.directory, waiting: {
            options.progress(.note("  waiting for another run that is computing \(what) (the same cache entry)"))
        }) else { return nil }
        // Whoever held the lock may have stored the entry meanwhile.
        if let entry = entry(key, what: what) {
            lock.release(entryStored: false)
            return entry
        }
        cacheLocks[key] = lock
        return nil
    }

    private func entry(_ key: String, what: String) -> StepCache.Entry? {
        switch cache?.lookup(key) {
        case .hit(let entry)?: return entry
        case .miss?, nil: return nil
        case .damaged(let reason)?:
            report(damaged: what, reason: reason)
            return nil
        }
    }

    /// Releases the locks of entries a step looked up but did not store (it failed, or the
    /// entry could not be decoded): the next run computes them.
    func releaseCacheLocks() {
        for lock in cacheLocks.values { lock.release(entryStored: false) }
        cacheLocks = [:]
    }

    private func discard(_ key: String, what: String, reason: String) {
        try? FileManager.default.removeItem(at: cache!.url(for: key))
        report(damaged: what, reason: reason)
    }

    private func report(damaged what: String, reason: String) {
        options.progress(.note("  the cache entry for \(what) is damaged (\(reason)); computing it again"))
        timings.append((key: "cache", value: "damaged entry for \(what) recomputed"))
    }

    /// A failure to write the cache costs the next run time, not this run its result.
    private func store(_ entry: StepCache.Entry, key: String) {
        guard let cache else { return }
        do {
            try cache.store(entry, key: key)
            cacheLocks.removeValue(forKey: key)?.release(entryStored: true)
        } catch {
            options.progress(.note("  warning: cannot write the cache entry: \(error)"))
        }
    }
}
