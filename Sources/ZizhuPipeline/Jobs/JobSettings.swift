import ZizhuCore

/// Settings every job reads the same way.
extension PipelineDefinition {
    /// `settings.term`, required and parsed; a usage error naming the stage kind otherwise.
    func requiredTerm(for stage: String) throws -> Term {
        guard let text = setting("term"), !text.isEmpty else {
            throw ZizhuError(.usage, Message("error.settings.noTerm", ["file": file, "stage": stage]), hint: Message("error.settings.noTerm.hint"))
        }
        guard case .success(let term) = Term.parse(text) else {
            let mark = settings["term"]?.mark.description ?? file
            throw ZizhuError(.usage, Message("error.settings.badTerm", ["mark": "\(mark)", "text": text]), hint: Message("error.settings.badTerm.hint"))
        }
        return term
    }

    /// `settings.tiers` (tier → amount in yuan per term); nil when the pipeline sets none.
    func tierSetting() throws -> [String: Fen]? {
        guard let setting = settings["tiers"] else { return nil }
        guard case .map(let pairs) = setting.value else {
            throw ZizhuError(.pipeline, Message("settings.tiers", ["mark": "\(setting.mark)"]))
        }
        var tiers: [String: Fen] = [:]
        for (tier, amount) in pairs {
            guard case .success(let fen) = Fen.parse(amount) else {
                throw ZizhuError(.pipeline, Message("settings.tier", ["mark": "\(setting.mark)", "tier": tier, "amount": amount]))
            }
            tiers[tier] = fen
        }
        return tiers
    }
}

extension CompiledPipeline {
    /// The input feeding each port of `stage`: input name → port name.
    func inputPorts(of stage: CompiledStage) -> [String: String] {
        var ports: [String: String] = [:]
        for (port, sources) in stage.sources {
            for source in sources {
                if let input = rootInput(of: source) { ports[input] = port }
            }
        }
        return ports
    }
}
