/** The paintings the lab can take a style from (static/paintings/<id>.jpg, by scripts/prepare-paintings.mjs). */
export interface Painting {
	id: string;
	title: string;
	artist: string;
}

export const PAINTINGS: readonly Painting[] = [
	{ id: 'great_wave', title: 'The Great Wave off Kanagawa', artist: 'Hokusai' },
	{ id: 'starry_night', title: 'The Starry Night', artist: 'van Gogh' },
	{ id: 'the_scream', title: 'The Scream', artist: 'Munch' },
	{ id: 'udnie', title: 'Udnie', artist: 'Picabia' },
	{ id: 'composition_vii', title: 'Composition VII', artist: 'Kandinsky' },
	{ id: 'woman_with_hat', title: 'Woman with a Hat', artist: 'Matisse' },
	{ id: 'vangogh_bedroom', title: 'Bedroom in Arles', artist: 'van Gogh' },
	{ id: 'gauguin_te_fare', title: 'Te Fare', artist: 'Gauguin' },
	{ id: 'monet_charing_cross', title: 'Charing Cross Bridge', artist: 'Monet' },
	{ id: 'monet_san_giorgio', title: 'San Giorgio Maggiore at Dusk', artist: 'Monet' },
	{ id: 'shipwreck', title: 'The Shipwreck', artist: 'Turner' },
	{ id: 'degas_dance_foyer', title: 'The Dance Foyer at the Opera', artist: 'Degas' }
];
