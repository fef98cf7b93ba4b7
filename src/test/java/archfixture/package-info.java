/**
 * A small house that breaks every rule of {@code switchboard.arch.HouseRules} on purpose, so that
 * {@code ArchitectureTest} can show each rule failing when its rule is broken. Never used by the product.
 */
package archfixture;
