/**
 * Where the share buttons lead: the networks' own share pages, filled in with the suggested text
 * and the employee's personal link. Plain links, so they work without JavaScript; nothing is posted
 * on anyone's behalf.
 */
export function shareTargets(link: string, text: string, title: string) {
  const words = text.trim() || title;
  return {
    linkedIn: `https://www.linkedin.com/sharing/share-offsite/?url=${encodeURIComponent(link)}`,
    x: `https://x.com/intent/post?text=${encodeURIComponent(words)}&url=${encodeURIComponent(link)}`,
    mail: `mailto:?subject=${encodeURIComponent(title)}&body=${encodeURIComponent(`${words}\n\n${link}`)}`,
  };
}
