import type { CardModel } from '../../domain/card-model';

/**
 * The sandbox console renders the neutral card model itself (in the browser, with textContent only, so titles
 * and reasons can never inject markup). The wire form is the model unchanged, which keeps the console a faithful
 * picture of what every adapter starts from.
 */
export type SandboxCard = CardModel;

export function renderCard(card: CardModel): SandboxCard {
  return card;
}
