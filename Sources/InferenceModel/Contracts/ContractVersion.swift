/// Every wire contract carries this version so consumers can reject what they do not understand.
public let inferenceContractVersion = "inference.v1"

/// The apiVersion every manifest document must declare.
public let manifestAPIVersion = "inference.selfhosted/v1"
