import COpenBLAS
import Datasets
import Detection
import Engine
import Foundation
import Randomness

/// `swift-lab-bench`: trains each seed architecture for one epoch on synthetic 28×28 data and
/// prints one JSON object per line: seconds per epoch, samples per second, the GFLOP/s the
/// training step achieved, and the GFLOP/s of raw cblas_sgemm on the same matrix shapes,
/// measured in the same run (the ceiling).
///
/// Usage: swift-lab-bench [NAME...] [--samples-scale F] [--repeat N] [--no-ceiling] | --list | --layers NAME... | --datasets | --scores
@main
enum Benchmark {
    struct Case {
        var name: String
        var architecture: Architecture
        var samples: Int
        var batch: Int
        var optimizer: OptimizerConfig
    }

    static func cases(scale: Double) -> [Case] {
        func n(_ count: Int) -> Int { max(1, Int(Double(count) * scale)) }
        return [
            Case(name: "mlp-vae-000", architecture: ReferenceArchitectures.mlpVAE, samples: n(60_000), batch: 100, optimizer: .rmsprop()),
            Case(name: "dense-ae-001", architecture: ReferenceArchitectures.denseAE, samples: n(60_000), batch: 256, optimizer: .adam()),
            Case(name: "conv-vae-002", architecture: ReferenceArchitectures.convVAE, samples: n(63_000), batch: 128, optimizer: .adam()),
            Case(name: "student-vae-003", architecture: ReferenceArchitectures.studentVAE, samples: n(54_000), batch: 128, optimizer: .adam()),
            Case(name: "conv-ae-004", architecture: ReferenceArchitectures.convAE, samples: n(6_265), batch: 32, optimizer: .adam()),
        ]
    }

    static func main() throws {
        if let complaint = Engine.applyThreadsSetting(ProcessInfo.processInfo.environment) { fatalError(complaint) }
        // The engine's kernels (`BLASKernels`) before the first product, the ceiling's included.
        BLAS.prepare()
        var arguments = Array(CommandLine.arguments.dropFirst())
        var scale = 1.0
        func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("swift-lab-bench: \(message)\n".utf8))
            exit(2)
        }
        if let i = arguments.firstIndex(of: "--samples-scale") {
            guard i + 1 < arguments.count, let value = Double(arguments[i + 1]), value > 0, value <= 100 else {
                fail("--samples-scale must be a number above 0 and at most 100")
            }
            scale = value
            arguments.removeSubrange(i...(i + 1))
        }
        if let i = arguments.firstIndex(of: "--repeat") {
            guard i + 1 < arguments.count, let value = Int(arguments[i + 1]), (1...100).contains(value) else {
                fail("--repeat must be a whole number from 1 to 100")
            }
            repeats = value
            arguments.removeSubrange(i...(i + 1))
        }
        measureCeiling = !arguments.contains("--no-ceiling")
        arguments.removeAll { $0 == "--no-ceiling" }
        // The modes that take no names: anything after them is a mistake, not a model to skip.
        if let mode = arguments.first, ["--list", "--datasets", "--scores"].contains(mode), arguments.count > 1 {
            fail("\(mode) takes no other arguments, got \(arguments.dropFirst().joined(separator: " "))")
        }
        if arguments.first == "--list" {
            for benchmark in cases(scale: 1) { print(benchmark.name) }
            return
        }
        if arguments.first == "--datasets" {
            for name in ["mnist", "fashion-mnist"] {
                for split in [DataSplit.train, .test] {
                    let started = Date()
                    let data = try DatasetLoader.load(name, split: split)
                    print("{\"dataset\":\"\(name)\",\"split\":\"\(split.rawValue)\",\"samples\":\(data.count),\"seconds\":\(round3(Date().timeIntervalSince(started)))}")
                }
            }
            return
        }
        if arguments.first == "--scores" {
            try scoringTimes()
            return
        }
        let names = Set(cases(scale: 1).map(\.name))
        let layers = arguments.first == "--layers"
        for argument in arguments.dropFirst(layers ? 1 : 0) where !names.contains(argument) {
            fail(argument.hasPrefix("-") ? "unknown option \(argument)" : "no model named '\(argument)' (--list names them)")
        }
        if layers {
            for benchmark in cases(scale: 1).filter({ arguments.dropFirst().contains($0.name) }) { try profileLayers(benchmark) }
            return
        }
        let selected = cases(scale: scale).filter { arguments.isEmpty || arguments.contains($0.name) }
        for benchmark in selected { try run(benchmark) }
    }

    /// Off with `--no-ceiling`, to profile training alone.
    nonisolated(unsafe) static var measureCeiling = true
    /// One-epoch runs per case; the median is reported.
    nonisolated(unsafe) static var repeats = 3

    static func run(_ benchmark: Case) throws {
        let model = try Model(benchmark.architecture, seed: 1)
        var rng = RandomGenerator(seed: 2)
        let d = benchmark.architecture.inputSize
        let data = FloatBuffer(count: benchmark.samples * d)
        for i in 0..<data.count { data[i] = Float(rng.uniform()) }

        // One untimed step first, as Keras's first epoch is untimed: the first step allocates the
        // model's buffers and starts the threads, once per process.
        let config = TrainingConfig(epochs: 1, batchSize: benchmark.batch, optimizer: benchmark.optimizer, seed: 3)
        _ = try Trainer.fit(model, data: SampleMatrix(values: data.pointer, count: min(benchmark.batch, benchmark.samples), sampleSize: d),
                            config: config)

        // The median of `repeats` one-epoch runs: these machines are shared and noisy.
        var times: [Double] = []
        for _ in 0..<repeats {
            let started = Date()
            _ = try Trainer.fit(model, data: SampleMatrix(values: data.pointer, count: benchmark.samples, sampleSize: d), config: config)
            times.append(Date().timeIntervalSince(started))
        }
        let seconds = times.sorted()[times.count / 2]

        // FLOPs of the epoch's matrix products (full batches plus the last partial one).
        let fullBatches = benchmark.samples / benchmark.batch, rest = benchmark.samples % benchmark.batch
        let shapes = model.trainingGEMMs(batch: benchmark.batch)
        var flops = Double(fullBatches) * shapes.reduce(0) { $0 + $1.flops }
        if rest > 0 { flops += model.trainingGEMMs(batch: rest).reduce(0) { $0 + $1.flops } }
        var result: [String: Any] = [
            "name": benchmark.name,
            "samples": benchmark.samples,
            "batch": benchmark.batch,
            "parameters": model.parameterCount,
            "threads": Engine.threads,
            "blas_kernels": BLASKernels.active.core,
            "seconds_per_epoch": round3(seconds),
            "seconds_all": times.map(round3),
            "repeats": repeats,
            "samples_per_second": Int(Double(benchmark.samples) / seconds),
            "gflops_achieved": round3(flops / seconds / 1e9),
        ]
        if measureCeiling {
            let ceiling = sgemmGFLOPs(shapes)
            result["gflops_sgemm_ceiling"] = round3(ceiling)
            result["fraction_of_ceiling"] = round3(flops / seconds / 1e9 / ceiling)
        }
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }

    /// Per layer: forward and backward milliseconds for one batch, against sgemm alone on the
    /// layer's own products; then a whole training step (`Trainer.fit` on one batch: every layer,
    /// the loss, the VAE's sampling and the optimiser) and what it spends outside the layers.
    static func profileLayers(_ benchmark: Case) throws {
        let model = try Model(benchmark.architecture, seed: 1)
        let batch = benchmark.batch
        func time(_ body: () throws -> Void) rethrows -> Double {
            try body()
            var best = Double.infinity
            for _ in 0..<5 { let t = Date(); try body(); best = min(best, Date().timeIntervalSince(t)) }
            return best * 1000
        }
        var rng = RandomGenerator(seed: 2)
        let data = FloatBuffer(count: batch * benchmark.architecture.inputSize)
        for i in 0..<data.count { data[i] = Float(rng.uniform()) }
        let samples = SampleMatrix(values: data.pointer, count: batch, sampleSize: benchmark.architecture.inputSize)
        let config = TrainingConfig(epochs: 1, batchSize: batch, optimizer: benchmark.optimizer, seed: 3)
        // Whole steps for the first 0.3 s: OpenBLAS starts its own threads when it loads, and they
        // spin for about a tenth of a second before they sleep, taking a core from what runs then
        // (the first layers' times doubled).
        let warmUpEnd = Date().addingTimeInterval(0.3)
        repeat { _ = try Trainer.fit(model, data: samples, config: config) } while Date() < warmUpEnd

        // The first layer with parameters delivers no input gradient in training.
        let first = model.layers.first { !$0.parameters.isEmpty }
        var layersTotal = 0.0
        var lines: [String] = [], shapes: [[GEMMShape]] = []
        for layer in model.layers {
            // Training never runs a reshape (`Sequential` passes its input on as its output).
            if layer is Reshape { lines.append("\(layer.typeName) \(layer.outputShape): not run (a reshape)"); shapes.append([]); continue }
            let x = FloatBuffer(count: batch * layer.inputSize, value: 0.3), y = FloatBuffer(count: batch * layer.outputSize)
            let dy = FloatBuffer(count: batch * layer.outputSize, value: 0.1), dx = FloatBuffer(count: batch * layer.inputSize)
            let inputGradient = layer !== first
            let forward = time { layer.forward(x.pointer, y.pointer, batch: batch) }
            let backward = time { layer.backward(input: x.pointer, output: y.pointer, outputGradient: dy.pointer, inputGradient: inputGradient ? dx.pointer : nil, batch: batch) }
            layersTotal += forward + backward
            lines.append("\(layer.typeName) \(layer.outputShape): forward \(round3(forward)) ms, backward \(round3(backward)) ms")
            shapes.append(layer.trainingGEMMs(batch: batch, inputGradient: inputGradient))
        }
        let step = try time { _ = try Trainer.fit(model, data: samples, config: config) }
        // sgemm alone last: OpenBLAS's own threads, which it runs on, go on spinning for a while
        // after each product, and would take a core from the layers timed after them.
        for (line, shapes) in zip(lines, shapes) {
            let gemm = shapes.isEmpty ? nil : shapes.reduce(0) { $0 + $1.flops } / sgemmGFLOPs(shapes) / 1e6
            print(line + (gemm.map { ", sgemm alone \(round3($0)) ms" } ?? ""))
        }
        print("layers \(round3(layersTotal)) ms; whole step \(round3(step)) ms, of which \(round3(step - layersTotal)) ms outside the layers")
    }

    /// Seconds to score the 10,000 MNIST test images with each method: an MLP VAE trained for one
    /// epoch on the 60,000 training images, and the baselines fitted on them.
    static func scoringTimes() throws {
        let train = try DatasetLoader.load("mnist", split: .train), test = try DatasetLoader.load("mnist", split: .test)
        let x = train.matrix(), t = test.matrix()
        let model = try Model(ReferenceArchitectures.mlpVAE, seed: 1)
        _ = try x.withUnsafeBufferPointer {
            try Trainer.fit(model, data: SampleMatrix(values: $0.baseAddress!, count: train.count, sampleSize: 784),
                            config: TrainingConfig(epochs: 1, batchSize: 100, optimizer: .rmsprop(), seed: 2))
        }
        func report(_ name: String, _ body: () throws -> [Double]) rethrows {
            let started = Date()
            let scores = try body()
            print("{\"method\":\"\(name)\",\"samples\":\(scores.count),\"seconds\":\(round3(Date().timeIntervalSince(started)))}")
        }
        let methods: [(String, ModelScore)] = [
            ("reconstruction-error mse", .reconstructionError(.mse)), ("reconstruction-probability 1", .reconstructionProbability(samples: 1)),
            ("reconstruction-probability 100", .reconstructionProbability(samples: 100)), ("an-cho 100", .anCho(samples: 100)),
            ("elbo 1", .elbo(samples: 1)), ("iwae 100", .iwae(samples: 100)), ("latent-mahalanobis", .latentMahalanobis),
        ]
        for (name, method) in methods {
            var rng = RandomGenerator(seed: 3)
            try report(name) { try method.scores(model: model, t, count: test.count, fit: x, fitCount: train.count, rng: &rng) }
        }
        let baselines: [(String, Baseline)] = [("pca 0.9 (fit + score)", .pca(components: 0.9)), ("gaussian (fit + score)", .gaussian),
                                               ("multivariate-gaussian (fit + score)", .multivariateGaussian),
                                               ("isolation-forest (fit + score)", .isolationForest(trees: 100, subsample: 256)),
                                               ("kde (fit + score)", .kde(bandwidth: nil))]
        for (name, baseline) in baselines {
            try report(name) { try baseline.fit(x, count: train.count, d: 784, seed: 4).score(t, count: test.count) }
        }
    }

    /// GFLOP/s of cblas_sgemm alone on the given shapes, best of several repetitions, with
    /// OpenBLAS's own threading on as many threads as the engine uses: the ceiling. (The engine
    /// keeps OpenBLAS on one thread and splits products itself, so that results do not depend
    /// on the thread count; see `BLAS`.)
    static func sgemmGFLOPs(_ shapes: [GEMMShape]) -> Double {
        openblas_set_num_threads(Int32(Engine.threads))
        defer { openblas_set_num_threads(1) }
        let largest = shapes.map { max($0.m * $0.k, $0.k * $0.n, $0.m * $0.n) }.max() ?? 1
        let a = FloatBuffer(count: largest, value: 0.5), b = FloatBuffer(count: largest, value: 0.25), c = FloatBuffer(count: largest)
        let flops = shapes.reduce(0) { $0 + $1.flops }
        var best = Double.infinity
        for _ in 0..<5 {
            let started = Date()
            var repetitions = 0
            repeat {
                for s in shapes {
                    cblas_sgemm(CblasRowMajor, s.transposeA ? CblasTrans : CblasNoTrans, s.transposeB ? CblasTrans : CblasNoTrans,
                                Int32(s.m), Int32(s.n), Int32(s.k), 1, a.pointer, Int32(s.transposeA ? s.m : s.k),
                                b.pointer, Int32(s.transposeB ? s.k : s.n), 1, c.pointer, Int32(s.n))
                }
                repetitions += 1
            } while Date().timeIntervalSince(started) < 0.2
            best = min(best, Date().timeIntervalSince(started) / Double(repetitions))
        }
        return flops / best / 1e9
    }

    static func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
