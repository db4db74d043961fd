// The library product: one import for the whole core, the kernel API (`InferenceKernel`) included.
@_exported import InferenceBackends
@_exported import InferenceControllerAPI
@_exported import InferenceManifests
@_exported import InferenceModel
@_exported import InferenceRuntime
