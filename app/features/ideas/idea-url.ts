import { href } from "react-router";

/** An idea's page, optionally at one of its comments: `/ideas/12#comment-34`. */
export function ideaUrl(idea: { id: number }, anchor?: `comment-${number}`): string {
  const path = href("/ideas/:ideaId", { ideaId: String(idea.id) });
  return anchor ? `${path}#${anchor}` : path;
}

export function campaignUrl(campaign: { id: number }): string {
  return href("/campaigns/:campaignId", { campaignId: String(campaign.id) });
}
