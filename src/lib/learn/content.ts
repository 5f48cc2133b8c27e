/** The photos the learner learns on, shipped with the app (static/learn/, licences in its README). */
export const CONTENT_URLS: readonly string[] = [
	'lomiri-wallpapers-16.04__picosdeeuropa_by_Aitzol_Berasategi',
	'lomiri-wallpapers-16.04__Picture_1A_by_freespace',
	'lomiri-wallpapers-16.04__seeding_by_Clements_Engelhardt',
	'lomiri-wallpapers-16.04__Bridge_by_Sander_Klootwijk',
	'lomiri-wallpapers-16.04__friends_by_Aitzol_Berasategi',
	'opencv-doc__fruits'
].map((f) => `/learn/content/${f}.jpg`);

/** The fixed photo of the previews (and of a learned style's thumbnail). */
export const PREVIEW_URL = '/learn/preview.jpg';
