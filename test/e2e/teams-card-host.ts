/**
 * How the card-fit test stands in for Teams: the widths a card gets, and the Adaptive Cards host config it is drawn with.
 *
 * Widths. Microsoft publishes no pixel widths: "Adaptive card width is managed by Microsoft Teams ... so that it renders
 * well on all the device including mobile" (https://github.com/MicrosoftDocs/msteams-docs/issues/739), and
 * `msteams: { width: 'Full' }` widens a card to the conversation column
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-format#full-width-adaptive-card);
 * in the new channels experience a card takes about two thirds of the conversation box
 * (https://github.com/microsoft/AdaptiveCards/issues/8692). So the widths below are chosen, and the narrow one is the
 * one that matters: "Cards designed for a narrow screen scale well on wider screens (the opposite isn't true) ...
 * Teams mobile also doesn't support horizontal scrolling like Teams desktop"
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/design-effective-cards).
 */
export interface TeamsWidth {
  /** Folder name of the screenshots. */
  readonly name: string;
  /** Width of the card in CSS pixels, its own padding included. */
  readonly px: number;
  /** The width for a card that asks for `msteams.width: 'Full'`, where that makes a difference. */
  readonly fullPx: number;
  readonly why: string;
}

export const TEAMS_WIDTHS: readonly TeamsWidth[] = [
  {
    name: 'mobile',
    px: 320,
    fullPx: 320,
    why: 'a 360-pixel phone (the common small Android width) less the message gutters; Teams mobile has no full width',
  },
  {
    name: 'personal-chat',
    px: 446,
    fullPx: 760,
    why: 'the width the Microsoft 365 Agents Playground 0.2.28 gives every bot card in a chat (measured in its web client)',
  },
  {
    name: 'channel',
    px: 600,
    fullPx: 900,
    why: 'about two thirds of the conversation column of a 1366-pixel desktop window, as the new channels experience draws cards',
  },
];

/**
 * The host config: the geometry of the Teams light host config that the Agents Playground 0.2.28 draws cards with (the
 * same values as microsoft/AdaptiveCards samples/HostConfig/microsoft-teams-light.json): spacing, padding, font sizes
 * and weights, action and fact-set settings. Two changes, both for determinism: the fonts are Open Sans (shipped with
 * @sparticuz/chromium, so every machine draws the same glyphs; Segoe UI is Windows-only and a little narrower, so a card
 * that fits in Open Sans fits in Segoe UI) and, for monospace, DejaVu Sans Mono where installed (Courier New is not on
 * Linux). Colours only matter to the screenshots: Teams' light theme.
 */
export const TEAMS_HOST_CONFIG = {
  choiceSetInputValueSeparator: ',',
  supportsInteractivity: true,
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#EEEEEE' },
  imageSizes: { small: 32, medium: 52, large: 100 },
  fontTypes: {
    default: {
      fontFamily: "'Open Sans', sans-serif",
      fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
      fontWeights: { lighter: 200, default: 400, bolder: 600 },
    },
    monospace: {
      fontFamily: "'DejaVu Sans Mono', 'Courier New', monospace",
      fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
      fontWeights: { lighter: 200, default: 400, bolder: 600 },
    },
  },
  textStyles: { heading: { fontType: 'default', size: 'large', weight: 'bolder', color: 'default', isSubtle: false } },
  textBlock: { headingLevel: 2 },
  actions: {
    maxActions: 6,
    buttonSpacing: 8,
    showCard: { actionMode: 'Inline', inlineTopMargin: 16, style: 'emphasis' },
    preExpandSingleShowCardAction: false,
    actionsOrientation: 'Horizontal',
    actionAlignment: 'Left',
    allowButtonsToWrap: true,
  },
  adaptiveCard: { allowCustomStyle: false },
  // The Teams file spells it "warp", which no renderer reads; wrap is the renderers' default for facts anyway.
  factSet: {
    title: { size: 'Default', color: 'Default', isSubtle: false, weight: 'Bolder', wrap: true },
    value: { size: 'Default', color: 'Default', isSubtle: false, weight: 'Default', wrap: true },
    spacing: 16,
  },
  containerStyles: {
    default: { backgroundColor: '#ffffff', foregroundColors: teamsColors() },
    emphasis: { backgroundColor: '#f9f8f7', foregroundColors: teamsColors() },
    accent: { backgroundColor: '#C7DEF9', foregroundColors: teamsColors() },
    good: { backgroundColor: '#CCFFCC', foregroundColors: teamsColors() },
    attention: { backgroundColor: '#FFC5B2', foregroundColors: teamsColors() },
    warning: { backgroundColor: '#FFE2B2', foregroundColors: teamsColors() },
  },
} as const;

function teamsColors(): Record<string, { default: string; subtle: string }> {
  return {
    default: { default: '#252424', subtle: '#bf252424' },
    dark: { default: '#252424', subtle: '#bf252424' },
    light: { default: '#ffffff', subtle: '#fff3f2f1' },
    accent: { default: '#6264a7', subtle: '#8b8cc7' },
    good: { default: '#92c353', subtle: '#e592c353' },
    warning: { default: '#f8d22a', subtle: '#e5f8d22a' },
    attention: { default: '#c4314b', subtle: '#e5c4314b' },
  };
}
