import Autodiff

/// The non-saturating GAN loss (Goodfellow et al. 2014, softplus form as in StyleGAN2 / pi-GAN):
/// generator `mean softplus(−D(G(z)))`, discriminator `mean softplus(D(G(z))) + mean softplus(−D(x))`.
public enum AdversarialLoss {
    /// The generator's loss on the logits `[B]` of its images → `[]`.
    public static func generator(_ tape: Tape, fakeLogits: Variable) throws -> Variable {
        try tape.mean(tape.softplus(tape.affine(fakeLogits, scale: -1)))
    }

    /// The discriminator's loss on the logits of real `[B]` and generated `[B′]` images → `[]`.
    public static func discriminator(_ tape: Tape, realLogits: Variable, fakeLogits: Variable) throws -> Variable {
        try tape.add(tape.mean(tape.softplus(fakeLogits)), tape.mean(tape.softplus(tape.affine(realLogits, scale: -1))))
    }
}
