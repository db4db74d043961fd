import Hummingbird

/// Assembles middleware and routes for the selected mode.
enum SimulatorRouter {
    static func build(options: SimulatorOptions, readiness: ModelReadiness) async throws -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let log: @Sendable (String) -> Void = { options.log(SimulatorLog.prefix + $0) }
        // Outermost first: the access log sees the final status of everything below.
        router.add(middleware: RequestLogMiddleware(log: log))
        router.add(middleware: ErrorBodyMiddleware(mode: options.mode))
        router.add(middleware: LoadingGateMiddleware(readiness: readiness))
        if let apiKey = options.apiKey {
            router.add(middleware: APIKeyMiddleware(apiKey: apiKey))
        }

        let hang = GenerationHang(answered: options.hangGenerationAfter, log: log)
        switch options.mode {
        case .llamaServer:
            LlamaServerRoutes(modelID: options.modelID).register(on: router)
            OpenAIRoutes(models: SingleModelProvider(modelID: options.modelID), hang: hang).register(on: router)
        case .ollama:
            let store = try await OllamaModelStore.preloaded(
                installing: options.ollamaModels,
                loading: options.ollamaLoaded
            )
            OllamaRoutes(store: store, version: options.ollamaVersion).register(on: router)
            OpenAIRoutes(models: OllamaOpenAIModelProvider(store: store), hang: hang).register(on: router)
        }
        return router
    }
}
