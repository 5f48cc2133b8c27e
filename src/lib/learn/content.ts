/** The photos the learner learns on, shipped with the app (static/learn/, licences in its README). */
export const CONTENT_URLS: readonly string[] = [
	'plasma__Path',
	'plasma__ColorfulCups',
	'mate-backgrounds__Garden',
	'lomiri-wallpapers-16.04__Bridge_by_Sander_Klootwijk',
	'palapeli-data__castle-maintenon',
	'opencv-doc__fruits'
].map((f) => `/learn/content/${f}.jpg`);

/** The fixed photo of the previews (and of a learned style's thumbnail). */
export const PREVIEW_URL = '/learn/preview.jpg';
