/*
 * demo_feed_data.c - what the people of Alvéole wrote on the feed over the
 * last six weeks: posts, their comments and replies, two edits and the
 * administrator's pinned announcement.
 *
 * The table reads like the feed itself, oldest first: a post (P, or A for
 * the pinned announcement), then its comments (C), each optionally followed
 * by replies (R, attached to the comment just above), and E for a later
 * edit of the post above.  demo_feed.c spreads the posts over the working
 * days of the last six weeks in this order, dates the comments after their
 * post, adds reactions and a few short comments from demo_feed_comments,
 * and publishes everything through the feed module so that mentions, tags
 * and notifications are real.
 *
 * Authors are display names of demo_people; every @mention names an active
 * member (not invited, not a guest) by display name.  No link points
 * outside: nothing is fetched.  tests/unit/demo/test_demo_data.c checks
 * these rules.  The file owns no state.
 */
#include "../core/core.h"
#include "demo.h"

#define P(who, text)                                                                               \
    {                                                                                              \
        DEMO_FEED_POST, who, text                                                                  \
    }
#define A(who, text)                                                                               \
    {                                                                                              \
        DEMO_FEED_PINNED, who, text                                                                \
    }
#define E(who, text)                                                                               \
    {                                                                                              \
        DEMO_FEED_EDIT, who, text                                                                  \
    }
#define C(who, text)                                                                               \
    {                                                                                              \
        DEMO_FEED_COMMENT, who, text                                                               \
    }
#define R(who, text)                                                                               \
    {                                                                                              \
        DEMO_FEED_REPLY, who, text                                                                 \
    }

/* clang-format off */
const struct demo_feed_entry demo_feed[] = {
    P("Hugo Renaud", "Bonjour à toutes et à tous ! Le fil d'actualité de Ruche est ouvert : vous "
      "pouvez maintenant publier, commenter et réagir. Pour bien démarrer :\n\n"
      "- suivez vos collègues depuis l'annuaire ;\n"
      "- mentionnez quelqu'un avec @ suivi de son prénom et de son nom ;\n"
      "- ajoutez des #étiquettes pour retrouver les sujets.\n\n"
      "Vos retours sont les bienvenus ! #Ruche"),
    C("Claire Martin", "Merci @Hugo Renaud pour tout le travail de préparation. On compte sur "
      "vous tous pour faire vivre le réseau !"),
    C("Gaëlle Perrin", "Enfin ! Je vais pouvoir arrêter les listes de diffusion à rallonge 😄"),
    R("Hugo Renaud", "C'est un peu l'idée, oui 😉"),
    C("Karim Benali", "Si quelqu'un a un souci pour se connecter, passez par moi ou ouvrez un "
      "ticket au support."),

    P("Benoît Fournier", "Rappel : les notes de frais du mois sont à déposer avant le 5 du mois "
      "suivant, justificatifs scannés à l'appui. Passé ce délai, elles partent sur le mois "
      "d'après. #comptabilité #notesdefrais"),
    C("Joël Masson", "Côté Saint-Étienne, je centralise les enveloppes papier le jeudi, comme "
      "d'habitude."),

    P("Gaëlle Perrin", "Le guide d'accueil des nouveaux bénévoles est en cours de refonte. Si vous "
      "avez des retours de terrain (ce qui marche, ce qui coince), je prends tout ! "
      "@Nathalie Lacroix coordonne les contributions. #bénévolat"),
    C("Nathalie Lacroix", "Je propose qu'on ajoute une fiche « premier mois » avec un parrain ou "
      "une marraine. Les associations de l'Isère qui le font gardent beaucoup mieux leurs "
      "bénévoles."),
    C("Sébastien Barbier", "Dans la Loire, le point qui revient tout le temps : les bénévoles ne "
      "savent pas à qui poser leurs questions. Un trombinoscope de l'asso, tout simplement."),
    R("Gaëlle Perrin", "Noté, merci à vous deux, je l'intègre."),

    P("Stéphane Roussel", "Quelqu'un sait comment se passe le versement de la subvention FDVA "
      "quand l'association a changé de trésorier entre le dépôt et l'attribution ? Une asso de "
      "Voiron me pose la question. #subventions #FDVA"),
    C("Aïcha Traoré", "Il faut simplement que le RIB au nom de l'association soit à jour dans Le "
      "Compte Asso. Le changement de trésorier ne change rien à l'attribution, mais pense à "
      "déclarer la modification au greffe des associations."),
    R("Stéphane Roussel", "Parfait, merci @Aïcha Traoré, je transmets."),
    C("Benoît Fournier", "Et qu'ils gardent bien la notification d'attribution : c'est elle "
      "qu'on demande au moment du compte rendu financier."),

    P("Solène Vidal", "La lettre d'information de ce mois part jeudi. Vous avez une actu, un "
      "portrait d'asso, une date à annoncer ? Envoyez-la à @Hélène Dubois avant mardi midi. "
      "#communication"),

    P("Wei Zhang", "Petite astuce : pour partager un gros fichier avec une association, évitez "
      "les pièces jointes de 20 Mo. Déposez-le dans l'espace partagé et envoyez le lien : les "
      "boîtes mail des petites structures saturent vite. #astuce #numérique"),
    C("Karim Benali", "Je plussoie, on a eu trois tickets cette semaine pour des mails refusés."),

    P("Véronique Blanc", "Les entretiens annuels démarrent dans trois semaines. Les supports sont "
      "à jour dans l'espace RH ; n'hésitez pas à me contacter pour toute question sur la "
      "nouvelle grille. #RH"),

    P("Noël Fabre", "Belle soirée hier à Crest avec le collectif des associations sportives de la "
      "vallée de la Drôme : 35 personnes, beaucoup de questions sur le recrutement de bénévoles "
      "pour les manifestations d'été. #Drôme #bénévolat"),
    C("Aurélien Dupuis", "On pourrait leur proposer le module « Recruter et fidéliser » à "
      "Valence, il reste des places."),
    R("Noël Fabre", "Bonne idée, je leur envoie le programme."),

    P("Agnès Lemaire", "Quelqu'un sait comment traiter les dons en nature dans les comptes d'une "
      "petite asso ? On me pose la question pour des lots de tombola offerts par des "
      "commerçants. #comptabilité"),
    C("Benoît Fournier", "Pour une petite asso sans commissaire aux comptes, elle peut les "
      "mentionner en annexe (contributions volontaires en nature). Pas de reçu fiscal sans une "
      "valorisation sérieuse du bien."),
    C("Émilie Giraud", "Attention aussi aux règles des loteries : la tombola doit rester "
      "d'initiative locale, sans but lucratif, avec des lots de faible valeur."),
    R("Agnès Lemaire", "Merci à vous deux, c'est très clair."),

    P("Laëtitia Marchand", "📅 Réservez la date : les Rencontres régionales de la vie "
      "associative auront lieu dans six semaines à Lyon, à la Maison des associations. "
      "Programme et inscriptions très bientôt ! #événement"),
    C("Gaëlle Perrin", "On a déjà trois ateliers calés, on attend encore les intervenants du "
      "quatrième."),

    P("Mamadou Diallo", "Retour du comité de pilotage de l'économie sociale et solidaire de "
      "Saint-Étienne Métropole : un appel à projets « tiers-lieux associatifs » sortira le mois "
      "prochain. Je fais suivre le cahier des charges dès que je l'ai. #ESS #Loire "
      "#subventions"),

    P("Jérôme Lefèvre", "Merci à toutes les équipes pour la préparation du conseil "
      "d'administration de samedi. Les administrateurs ont salué la qualité des dossiers, en "
      "particulier le bilan des territoires. Bravo @Françoise Girard pour la coordination. "
      "#gouvernance"),
    C("Françoise Girard", "Merci Jérôme, c'était un travail collectif, tous les services ont "
      "joué le jeu."),

    P("Zoé Moreau", "Pour info, le formulaire d'adhésion en ligne a été corrigé : le code postal "
      "refusait les codes corses (2A et 2B). Merci @Karim Benali pour le signalement ! "
      "#numérique"),

    P("Yasmine Belkacem", "Le catalogue des formations du semestre est en ligne sur l'intranet : "
      "comptabilité associative, prise de parole, animation de réunion, RGPD pour les "
      "associations… Inscriptions ouvertes jusqu'à la fin du mois. #formation"),
    C("Anaïs Faure", "Je le glisse dans le livret d'accueil des nouveaux arrivants."),

    P("Raphaël Mercier", "Qui a déjà organisé une réunion publique à la fois en salle et en "
      "visio ? On prépare une réunion d'information pour les associations du bassin chambérien "
      "et je cherche des retours sur le matériel. #numérique #Savoie"),
    C("Wei Zhang", "On a une pieuvre de conférence et une caméra grand angle à prêter à "
      "Grenoble. Réserve-les auprès du support."),
    C("Léa Bonnet", "Conseil de terrain : désigne quelqu'un uniquement pour suivre la discussion "
      "de la visio, sinon les personnes à distance sont oubliées."),
    R("Raphaël Mercier", "Merci à vous deux, je réserve le matériel."),

    P("Cédric Morel", "Les bulletins de paie sont disponibles dans votre espace salarié. "
      "Rappel : la régularisation de la mutuelle apparaît ce mois-ci. #paie"),

    P("Maëlle Le Gall", "Les associations d'Annecy se mobilisent pour le nettoyage des berges du "
      "lac le mois prochain. Elles cherchent des bénévoles pour encadrer les groupes scolaires. "
      "Si vous connaissez des structures intéressées, faites suivre ! #bénévolat #HauteSavoie"),

    P("Chloé Duval", "Bonjour à toutes et à tous ! Je suis Chloé, volontaire en service civique "
      "pour huit mois au pôle vie associative à Lyon. Ma mission : aider les petites "
      "associations à recruter des jeunes bénévoles. Au plaisir de vous rencontrer ! "
      "#servicecivique"),
    C("Gaëlle Perrin", "Bienvenue Chloé ! Ravie de t'avoir dans l'équipe."),
    C("Manon Schmitt", "Bienvenue ! Passe à l'accueil récupérer ton badge 🙂"),
    C("Sofia Esposito", "Bienvenue ! Si tu veux, je te présente le réseau des associations "
      "étudiantes d'Annecy."),
    R("Chloé Duval", "Avec plaisir, merci !"),

    P("Théo Garnier", "Nos publications sur les réseaux sociaux ont touché 12 000 personnes le "
      "mois dernier, soit 18 % de plus. Le portrait de l'association de danse de Firminy a fait "
      "un carton. Envoyez-nous vos belles histoires ! #communication"),
    C("Mamadou Diallo", "Ils étaient ravis, la présidente m'en a parlé trois fois 😄"),

    P("Émilie Giraud", "Petit rappel juridique : une association peut avoir des activités "
      "lucratives accessoires, mais elle doit les sectoriser au-delà de la franchise des impôts "
      "commerciaux. Dans le doute, venez nous voir avant de vous lancer. #juridique "
      "#fiscalité"),

    P("Karim Benali", "Intervention sur le serveur de fichiers ce soir à partir de 19 h : coupure "
      "d'une heure environ. Pensez à enregistrer vos documents avant de partir. #numérique"),

    P("Paulo Ferreira", "Le tableau de bord budgétaire du premier semestre est disponible. "
      "Points d'attention : les frais de déplacement dépassent le prévisionnel de 12 %, les "
      "recettes de formation sont au-dessus. @Benoît Fournier, je te propose un point jeudi. "
      "#budget"),
    E("Paulo Ferreira", "Le tableau de bord budgétaire du premier semestre est disponible. "
      "Points d'attention : les frais de déplacement dépassent le prévisionnel de 12 %, les "
      "recettes de formation sont au-dessus du prévu (+8 %). @Benoît Fournier, je te propose "
      "un point jeudi. #budget"),
    C("Benoît Fournier", "Jeudi 10 h, ça me va."),

    P("Inès Chevalier", "Nouvelle version de la charte graphique : logo en couleur, monochrome "
      "et une version pour fond sombre, plus des modèles d'affiche A4 et A3. Tout est dans "
      "l'espace communication. #communication"),
    C("Hélène Dubois", "Les modèles d'affiche sont superbes, merci !"),
    C("Noël Fabre", "Est-ce qu'on peut avoir un modèle de kakémono pour les forums ?"),
    R("Inès Chevalier", "C'est prévu, je te l'envoie d'ici la fin du mois."),

    P("Nadia Haddad", "La salle du conseil (3e étage) est indisponible toute la semaine "
      "prochaine pour travaux. Les réunions prévues sont déplacées en salle Rhône ; les "
      "invitations ont été mises à jour. #logistique"),

    P("Aurélien Dupuis", "Formation des dirigeants bénévoles à Valence samedi : « Le rôle du "
      "trésorier ». 14 inscrits, encore 6 places. #formation #Drôme"),

    P("Grégoire Brun", "Quelqu'un sait comment modifier l'objet social d'une association sans "
      "attendre l'AG annuelle ? Une association de Villeurbanne veut élargir son activité "
      "rapidement. #juridique #statuts"),
    C("Émilie Giraud", "Il faut une assemblée générale extraordinaire, convoquée selon les "
      "statuts. Si les statuts ne prévoient rien, l'AG peut être convoquée à tout moment par "
      "le bureau."),
    C("Aïcha Traoré", "Et déclaration en préfecture dans les trois mois, sinon le changement "
      "n'est pas opposable aux tiers."),
    R("Grégoire Brun", "Merci, je leur prépare un modèle de convocation."),

    P("Sofia Esposito", "Signature de la convention de partenariat avec la fondation d'un "
      "groupe savoyard : 30 000 € sur deux ans pour l'accompagnement des associations rurales. "
      "Merci à @Jérôme Lefèvre et @Maëlle Le Gall pour leur appui ! #partenariats #mécénat"),
    C("Jérôme Lefèvre", "Bravo Sofia, c'est un très beau résultat."),

    P("Thi Lan Nguyen", "Premiers résultats de l'enquête sur l'emploi associatif en "
      "Auvergne-Rhône-Alpes : 62 % des associations employeuses ont moins de trois salariés, et "
      "la moitié peinent à recruter. Synthèse complète à venir. #études #emploi"),
    C("Anaïs Faure", "Très intéressant, ça recoupe ce qu'on entend côté recrutement."),
    C("Véronique Blanc", "Est-ce qu'on aura les chiffres par département ?"),
    R("Thi Lan Nguyen", "Oui, dans la version complète, avec les douze départements."),

    P("Léa Bonnet", "Belle rencontre à Albertville avec les clubs de sports de montagne : ils "
      "veulent partager un poste de comptable à temps partiel entre quatre associations. On "
      "étudie la faisabilité avec @Agnès Lemaire. #Savoie #emploi"),

    P("Hélène Dubois", "Petite astuce Ruche : cliquez sur une étiquette pour voir toutes les "
      "publications qui la portent, et gardez la page dans vos favoris. Par exemple "
      "#subventions, pour ne rater aucun appel à projets. #astuce #Ruche"),

    P("Jérémy Caron", "Les nouveaux vidéoprojecteurs sont arrivés : deux pour Lyon, un pour "
      "chaque antenne. Réservation auprès de moi ou de @Nadia Haddad. #logistique"),
    C("Stéphane Roussel", "Super, celui de Grenoble commençait à faire des siennes."),

    P("Anaïs Faure", "Nous recrutons ! Un·e chargé·e de mission vie associative en CDI à "
      "Valence. Fiche de poste dans l'espace RH, cooptation bienvenue. #recrutement"),
    C("Noël Fabre", "Je relaie auprès du réseau Drôme-Ardèche."),

    P("Nathalie Lacroix", "Quelqu'un sait comment valoriser le temps des bénévoles dans le "
      "budget d'un projet ? Une asso de Grenoble répond à un appel à projets qui demande les "
      "contributions volontaires. #bénévolat #subventions"),
    C("Paulo Ferreira", "On valorise en général sur la base du SMIC horaire chargé, ou d'un taux "
      "plus élevé si la mission le justifie. L'important : un relevé d'heures signé."),
    C("Agnès Lemaire", "Et ça apparaît au pied du compte de résultat, en classes 86 et 87."),
    R("Nathalie Lacroix", "Génial, je leur transmets la méthode."),

    P("Claire Martin", "Sécurité : une vague de faux mails « mise à jour de votre boîte » "
      "circule. Ne cliquez pas, et ne saisissez jamais votre mot de passe depuis un lien reçu "
      "par mail. En cas de doute, transférez le message à @Karim Benali. #sécurité"),
    C("Françoise Girard", "J'en ai reçu un ce matin, très bien imité. Merci pour l'alerte."),

    P("Sébastien Barbier", "Journée des bénévoles à Saint-Étienne samedi : stands, ateliers et "
      "remise des trophées. Venez nombreux, c'est à la Cité du design ! #événement #Loire"),

    P("Joël Masson", "Clôture des comptes : j'ai besoin de toutes les factures fournisseurs de "
      "l'antenne de Saint-Étienne avant vendredi. Merci ! #comptabilité"),

    P("Françoise Girard", "Le rapport d'activité de l'an dernier est imprimé et disponible à "
      "l'accueil, et en version numérique dans l'espace communication. Merci à "
      "@Inès Chevalier pour la mise en page. #communication"),

    P("Wei Zhang", "Migration des postes de Grenoble terminée : tout le monde est passé sur les "
      "nouveaux portables. Si quelque chose manque, dites-le-moi. #numérique"),
    C("Yasmine Belkacem", "Tout fonctionne, merci Wei !"),
    C("Stéphane Roussel", "Il me manque juste l'imprimante du 2e, sinon parfait."),
    R("Wei Zhang", "Corrigé, elle devrait apparaître après un redémarrage."),

    P("Gaëlle Perrin", "Bilan du mois : 23 associations accompagnées, dont 9 nouvelles "
      "adhérentes. Le sujet qui revient le plus : la gouvernance et le renouvellement des "
      "bureaux. #bénévolat #gouvernance"),

    P("Zoé Moreau", "Astuce : dans Ruche, une ligne vide sépare les paragraphes, on met du "
      "**gras** avec deux astérisques, et une liste commence par un tiret. #astuce #Ruche"),

    P("Mamadou Diallo", "Quelqu'un sait comment obtenir l'agrément « jeunesse et éducation "
      "populaire » ? Une association de Roanne veut le demander pour accéder à certains "
      "financements. #juridique #jeunesse"),
    C("Aïcha Traoré", "Dossier auprès du service départemental à la jeunesse. Il faut au moins "
      "un an d'existence, un fonctionnement démocratique et une gestion transparente. Je peux "
      "relire leur dossier."),
    R("Mamadou Diallo", "Top, je vous mets en relation."),

    P("Solène Vidal", "Revue de presse : un article du Progrès sur notre programme "
      "d'accompagnement des associations rurales, avec un beau témoignage de @Léa Bonnet. "
      "#communication #presse"),
    C("Léa Bonnet", "Merci ! Le journaliste a été très à l'écoute."),

    P("Cédric Morel", "Rappel : les demandes de congés d'été sont à saisir avant la fin du mois "
      "dans l'outil RH. #RH"),

    P("Raphaël Mercier", "La réunion publique de Chambéry s'est bien passée : 28 personnes en "
      "salle, 17 à distance. Merci @Wei Zhang pour le matériel et @Léa Bonnet pour "
      "l'animation ! #Savoie"),

    P("Laëtitia Marchand", "Rencontres régionales : le programme est en ligne. Quatre ateliers "
      "(numérique, financement, gouvernance, bénévolat), une plénière et un buffet des "
      "producteurs locaux. Inscriptions auprès de moi. #événement"),
    C("Sofia Esposito", "Je viens avec deux partenaires d'Annecy."),
    C("Noël Fabre", "On organise un covoiturage depuis Valence, faites-moi signe."),
    R("Laëtitia Marchand", "Super, j'ajoute l'info dans le mail de confirmation."),

    P("Benoît Fournier", "Bonne nouvelle : le commissaire aux comptes a terminé sa mission "
      "intermédiaire sans observation. Merci à @Agnès Lemaire et @Joël Masson pour la "
      "préparation. #comptabilité"),
    C("Jérôme Lefèvre", "Bravo à toute l'équipe finances !"),

    P("Yasmine Belkacem", "La formation « Animer une réunion efficace » est complète. Je rouvre "
      "une session à Grenoble le mois prochain, liste d'attente ouverte. #formation"),

    P("Karim Benali", "Question fréquente : comment récupérer un fichier Excel écrasé par erreur "
      "sur le partage ? Clic droit, puis « Versions précédentes ». On garde 30 jours "
      "d'historique. #astuce #numérique"),
    C("Agnès Lemaire", "Ça m'a sauvé la mise la semaine dernière !"),

    P("Maëlle Le Gall", "Réunion du réseau des associations de Haute-Savoie jeudi à Annecy : au "
      "menu, le partage de locaux et de matériel. @Sofia Esposito présentera le fonds de la "
      "fondation. #HauteSavoie"),

    P("Théo Garnier", "Sondage express : vous préférez recevoir la lettre interne le lundi matin "
      "ou le jeudi après-midi ? Répondez en commentaire ! #communication"),
    C("Paulo Ferreira", "Lundi matin, pour organiser la semaine."),
    C("Nadia Haddad", "Jeudi, le lundi est déjà bien chargé."),
    C("Léa Bonnet", "Lundi !"),
    C("Karim Benali", "Jeudi après-midi pour moi."),
    R("Théo Garnier", "Match serré 😄 On tranche à la fin de la semaine."),

    P("Stéphane Roussel", "Le Département de l'Isère ouvre son appel à projets « vie associative "
      "locale » : dépôt jusqu'à la fin du mois prochain, jusqu'à 5 000 € par projet. "
      "#subventions #Isère"),
    C("Nathalie Lacroix", "Je le partage avec les associations que j'accompagne."),

    P("Aurélien Dupuis", "Retour de la formation des trésoriers : les participants demandent un "
      "modèle de budget prévisionnel simple. @Paulo Ferreira, tu aurais ça dans tes cartons ? "
      "#formation #budget"),
    C("Paulo Ferreira", "Oui, un tableur en deux onglets, charges et produits, avec le plan "
      "comptable associatif. Je le dépose dans l'espace formation."),
    R("Aurélien Dupuis", "Merci !"),

    P("Hugo Renaud", "Premier bilan du fil d'actualité : vous êtes nombreux à publier et à "
      "commenter, merci ! Les étiquettes les plus utilisées pour l'instant : #bénévolat, "
      "#subventions et #formation. #Ruche"),
    C("Claire Martin", "Très encourageant. Continuons !"),

    P("Agnès Lemaire", "Petit rappel pour les associations qui émettent des reçus fiscaux : le "
      "modèle Cerfa n'est pas obligatoire, mais toutes ses mentions doivent y être. Et il faut "
      "désormais déclarer chaque année le montant des dons reçus. #comptabilité #fiscalité"),

    P("Léa Bonnet", "Quelqu'un sait s'il existe une assurance mutualisée pour les associations "
      "qui organisent des sorties en montagne ? Les tarifs individuels sont très élevés. "
      "#Savoie #assurance"),
    C("Émilie Giraud", "Les fédérations sportives proposent souvent des contrats de groupe. "
      "Sinon, notre assureur peut faire une offre pour les adhérents : je pose la question."),
    R("Léa Bonnet", "Merci Émilie, ça aiderait beaucoup."),

    P("Manon Schmitt", "Le colis de goodies pour les Rencontres régionales est arrivé à "
      "l'accueil : stylos, sacs en toile et carnets aux couleurs d'Alvéole. "
      "@Laëtitia Marchand, je te les garde au chaud ! #événement"),

    P("Jérôme Lefèvre", "Rencontre avec la vice-présidente de la Région chargée de la vie "
      "associative : reconnaissance du rôle des têtes de réseau, et engagement à simplifier "
      "les dossiers de subvention. Un bon signal. #plaidoyer #subventions"),
    C("Françoise Girard", "Il faudra suivre de près le calendrier des nouvelles modalités."),

    P("Inès Chevalier", "Astuce graphisme : sur une affiche, deux polices au maximum, et un titre "
      "lisible à trois mètres. Au-delà, on perd le lecteur ! #astuce #communication"),

    P("Sofia Esposito", "Les associations étudiantes d'Annecy cherchent des mentors pour leurs "
      "nouveaux bureaux : une heure par mois, en visio. Intéressé·e·s ? #bénévolat #jeunesse"),
    C("Chloé Duval", "Je peux en parler aux jeunes que j'accompagne à Lyon aussi !"),

    P("Wei Zhang", "Rappel sauvegardes : les documents posés sur le bureau de votre ordinateur "
      "ne sont **pas** sauvegardés. Rangez-les dans vos dossiers réseau. #sécurité "
      "#numérique"),

    P("Grégoire Brun", "Nouvelle fiche pratique : « Organiser une buvette temporaire ». "
      "Autorisation municipale, nombre de manifestations par an, catégories de boissons. Dans "
      "l'espace juridique. #juridique #événement"),
    C("Sébastien Barbier", "Exactement ce qu'il me fallait pour les fêtes de quartier, merci."),

    P("Thi Lan Nguyen", "La synthèse complète de l'enquête sur l'emploi associatif est "
      "disponible, avec les résultats par département. Merci à @Stéphane Roussel, "
      "@Mamadou Diallo et @Noël Fabre pour la diffusion du questionnaire ! #études #emploi"),

    P("Paulo Ferreira", "Le modèle de budget prévisionnel est dans l'espace formation : deux "
      "onglets, formules protégées, notice en première page. #budget #formation"),

    P("Nadia Haddad", "Le pot de départ de Jacqueline (vingt ans à l'accueil !) aura lieu "
      "vendredi à 17 h en salle Rhône. Venez nombreux ! #convivialité"),
    C("Manon Schmitt", "Elle m'a tout appris, ce sera émouvant 🥲"),
    C("Jérôme Lefèvre", "J'y serai, bien sûr."),

    P("Mamadou Diallo", "L'appel à projets « tiers-lieux associatifs » de Saint-Étienne "
      "Métropole est sorti : dépôt dans six semaines, jusqu'à 40 % de l'investissement. "
      "J'accompagne les associations intéressées. #Loire #subventions #ESS"),
    C("Sébastien Barbier", "J'ai déjà deux candidats potentiels."),

    P("Anaïs Faure", "Trois candidatures très intéressantes pour le poste de Valence. Entretiens "
      "la semaine prochaine avec @Noël Fabre. #recrutement"),

    P("Hélène Dubois", "Qui veut témoigner dans la prochaine lettre ? On cherche une association "
      "qui a réussi à renouveler son bureau avec des jeunes. #communication #jeunesse"),
    C("Chloé Duval", "Une association de Vaulx-en-Velin vient d'élire une présidente de 22 ans, "
      "je peux te mettre en contact."),
    R("Hélène Dubois", "Parfait, merci Chloé !"),

    P("Karim Benali", "Le nouveau copieur du 2e étage est installé. Pour imprimer : badge et code "
      "habituel. #logistique"),
    C("Jérémy Caron", "Et il fait enfin le recto-verso correctement 😄"),

    P("Yasmine Belkacem", "Nouveau : les salariés peuvent suivre gratuitement les formations "
      "destinées aux bénévoles, dans la limite des places. Parlez-en à votre responsable. "
      "#formation #RH"),

    P("Noël Fabre", "Tournée en Ardèche cette semaine : Privas, Aubenas, Annonay. Si vous avez "
      "des messages pour les associations du secteur, c'est le moment ! #Ardèche"),
    C("Aurélien Dupuis", "Tu peux leur rappeler la formation des trésoriers du mois prochain ?"),
    R("Noël Fabre", "C'est noté."),

    P("Émilie Giraud", "RGPD : les associations doivent informer leurs adhérents de l'usage de "
      "leurs données, et ne pas garder les fichiers indéfiniment. Nous avons mis à jour le "
      "modèle de mentions pour les bulletins d'adhésion. #RGPD #juridique"),
    C("Zoé Moreau", "On l'intègre au formulaire en ligne cette semaine."),

    P("Raphaël Mercier", "Le projet de plateforme de prêt de matériel entre associations "
      "savoyardes avance : 12 associations partantes, un inventaire partagé en cours. #Savoie "
      "#mutualisation"),
    C("Léa Bonnet", "Les clubs d'Albertville ont déjà listé leurs barnums et leurs sonos."),

    P("Benoît Fournier", "Pour information, le barème des indemnités kilométriques des bénévoles "
      "a été réévalué. Il est à jour dans l'espace finances. #comptabilité #bénévolat"),

    P("Laëtitia Marchand", "J-30 avant les Rencontres régionales : 180 inscrits ! On peut monter "
      "jusqu'à 250. Parlez-en autour de vous. #événement"),
    C("Gaëlle Perrin", "Super dynamique !"),

    P("Anaïs Faure", "Les entretiens annuels commencent lundi. Rappel : le support est à "
      "compléter par le salarié et à envoyer à son responsable 48 h avant l'entretien. #RH"),

    P("Solène Vidal", "On prépare une campagne « Engagez-vous près de chez vous » pour le "
      "recrutement de bénévoles. Il nous faut cinq associations volontaires pour des portraits "
      "photo. @Théo Garnier coordonne. #communication #bénévolat"),
    C("Mamadou Diallo", "Les Jardins partagés du Forez seraient partants, je leur demande."),
    C("Maëlle Le Gall", "J'ai une association de sauveteurs du lac qui serait parfaite."),
    R("Théo Garnier", "Super, je vous contacte pour caler les séances photo."),

    P("Cédric Morel", "Quelqu'un sait comment déclarer un animateur occasionnel en contrat "
      "d'engagement éducatif ? Question d'une association de centres de loisirs. #paie "
      "#jeunesse"),
    C("Véronique Blanc", "Rémunération forfaitaire journalière minimale, repos quotidien "
      "garanti, et 80 jours par an au maximum. Je t'envoie la fiche."),
    R("Cédric Morel", "Merci Véronique !"),

    P("Zoé Moreau", "Le formulaire d'adhésion en ligne intègre maintenant les mentions RGPD "
      "proposées par @Émilie Giraud, et une case à cocher pour la lettre d'information. "
      "#RGPD #numérique"),

    P("Thi Lan Nguyen", "Carte interactive des associations adhérentes : 1 200 associations "
      "géolocalisées. Encore quelques adresses à vérifier dans l'Ain et le Cantal. #études"),
    C("Stéphane Roussel", "Je peux vérifier celles de l'Isère."),

    P("Gaëlle Perrin", "Merci à @Nathalie Lacroix, @Sébastien Barbier et @Chloé Duval pour le "
      "nouveau guide d'accueil des bénévoles, en version imprimable et numérique ! #bénévolat "
      "#merci"),
    C("Nathalie Lacroix", "Merci à toi pour la relecture !"),
    C("Véronique Blanc", "Bravo, on va s'en inspirer pour l'accueil des salariés."),

    P("Jérémy Caron", "Inventaire du matériel événementiel : 4 barnums, 2 sonos, 60 chaises "
      "pliantes, 12 grilles d'exposition. Prêt aux associations adhérentes sur réservation. "
      "#logistique #mutualisation"),

    P("Aïcha Traoré", "Permanence juridique pour les associations de l'Isère tous les mardis "
      "matin à Grenoble, sur rendez-vous : statuts, contrats, responsabilité des dirigeants. "
      "#juridique #Isère"),

    P("Hugo Renaud", "Astuce Ruche : pour qu'un collègue voie votre message, mentionnez-le avec "
      "son nom complet, par exemple @Gaëlle Perrin. Il reçoit une notification. #astuce #Ruche"),
    C("Gaëlle Perrin", "Et ça marche 😄"),

    P("Paulo Ferreira", "Fin du trimestre : merci d'envoyer vos engagements de dépenses en cours "
      "avant vendredi pour que le suivi budgétaire soit à jour. #budget"),

    P("Sébastien Barbier", "Journée des bénévoles à Saint-Étienne : 400 visiteurs, 35 "
      "associations présentes et 60 nouveaux bénévoles inscrits ! Merci à tous. #événement "
      "#Loire #bénévolat"),
    C("Mamadou Diallo", "Une réussite, bravo Seb !"),
    C("Théo Garnier", "Les photos sont magnifiques, on en fait un article."),

    P("Françoise Girard", "Le séminaire d'équipe aura lieu dans un mois, sur deux jours, à la "
      "campagne près de Die. Programme construit ensemble : envoyez vos idées d'ateliers à "
      "@Nadia Haddad. #séminaire"),
    C("Noël Fabre", "Die, chez moi ! Je peux organiser la visite d'une association locale."),
    C("Zoé Moreau", "Un atelier « outils numériques collaboratifs » ?"),
    R("Françoise Girard", "Excellentes idées, on les garde."),

    P("Maëlle Le Gall", "Quelqu'un sait comment rédiger une convention de mise à disposition de "
      "locaux entre une commune et plusieurs associations ? #juridique #HauteSavoie"),
    C("Grégoire Brun", "Une convention par association est plus simple à gérer, avec le "
      "planning d'occupation en annexe. On a un modèle."),
    R("Maëlle Le Gall", "Je veux bien le modèle, merci."),

    P("Inès Chevalier", "Les visuels de la campagne « Engagez-vous près de chez vous » sont prêts "
      "pour validation. @Solène Vidal, je te les envoie cet après-midi. #communication"),

    P("Karim Benali", "Rappel : le support informatique répond de 8 h 30 à 18 h. En dehors, "
      "laissez un ticket, on le traite en priorité le lendemain matin. #numérique"),

    P("Aurélien Dupuis", "Formation « Le rôle du trésorier » à Valence : 20 participants, quatre "
      "associations de la Drôme et trois d'Ardèche. Prochaine session : « Le rôle du "
      "président ». #formation #Drôme"),

    P("Claire Martin", "Plan de sécurité informatique : tous les comptes passeront à "
      "l'authentification renforcée d'ici deux mois. On vous accompagnera pas à pas, rien à "
      "faire pour l'instant. #sécurité"),
    C("Wei Zhang", "On commencera par l'équipe informatique pour essuyer les plâtres."),

    P("Nathalie Lacroix", "Atelier « Fidéliser ses bénévoles » à Grenoble : des idées simples "
      "partagées par les participantes. Un petit mot après chaque mission, une soirée annuelle, "
      "et des missions courtes pour débuter. #bénévolat"),

    P("Léa Bonnet", "Quelqu'un a un contact à la Maison des associations de Chambéry ? On "
      "voudrait y tenir une permanence mensuelle. #Savoie"),
    C("Raphaël Mercier", "Oui, je t'envoie les coordonnées de la directrice."),

    P("Benoît Fournier", "Point d'étape budgétaire : l'exercice est à l'équilibre à mi-année. On "
      "reste vigilants sur les déplacements. Merci à tous pour vos efforts ! #budget"),

    P("Stéphane Roussel", "Les associations de la métropole grenobloise réfléchissent à un "
      "groupement d'employeurs pour partager un·e chargé·e de communication. Premier atelier le "
      "mois prochain. #emploi #Isère"),
    C("Thi Lan Nguyen", "C'est exactement la tendance relevée dans l'enquête, je peux venir "
      "présenter les chiffres."),
    R("Stéphane Roussel", "Avec plaisir !"),

    P("Hélène Dubois", "La lettre d'information est partie : 3 400 destinataires, 41 % "
      "d'ouverture. Merci à tous les contributeurs ! #communication"),

    P("Sofia Esposito", "Appel aux collègues : qui a de l'expérience du mécénat de compétences ? "
      "Une entreprise d'Annecy veut proposer des juristes bénévoles à nos associations. "
      "#mécénat #partenariats"),
    C("Émilie Giraud", "Nous ! Il faut une convention entre l'entreprise, le salarié et "
      "l'association. Je te propose un point."),
    R("Sofia Esposito", "Parfait, je te cale un créneau."),

    P("Joël Masson", "Astuce compta : nommez vos justificatifs scannés "
      "« date_fournisseur_montant.pdf ». On gagne un temps fou au rapprochement. #astuce "
      "#comptabilité"),
    C("Agnès Lemaire", "Je valide à 200 % !"),

    P("Manon Schmitt", "Objets trouvés à l'accueil : une écharpe bleue, un parapluie noir et une "
      "clé USB Alvéole. Venez les récupérer ! #accueil"),
    C("Paulo Ferreira", "La clé USB, c'est la mienne, merci !"),

    P("Jérôme Lefèvre", "Les Rencontres régionales approchent : c'est notre moment pour montrer "
      "la force du réseau. Merci à @Laëtitia Marchand et à toute l'équipe vie associative. "
      "#événement"),

    P("Yasmine Belkacem", "Le plan de développement des compétences de l'an prochain se prépare : "
      "quelles formations aimeriez-vous suivre ? Répondez en commentaire. #formation #RH"),
    C("Théo Garnier", "Une formation vidéo pour les réseaux sociaux !"),
    C("Agnès Lemaire", "Les nouveautés de la fiscalité associative."),
    C("Karim Benali", "Linux avancé, si possible 🐧"),
    R("Yasmine Belkacem", "Merci, je note tout."),

    P("Mamadou Diallo", "Visite de la recyclerie associative de Firminy : 8 salariés en "
      "insertion, 200 tonnes d'objets sauvés par an. Un modèle à faire connaître. #ESS #Loire"),

    P("Grégoire Brun", "Nouvelle fiche pratique : « La responsabilité des dirigeants "
      "bénévoles ». Assurance, délégation de pouvoirs, faute de gestion. #juridique "
      "#gouvernance"),

    P("Gaëlle Perrin", "Quelqu'un sait s'il nous reste des passeports bénévoles imprimés ? Les "
      "associations de l'Ain en redemandent. #bénévolat"),
    C("Laëtitia Marchand", "Il en reste deux cartons dans la réserve."),
    R("Gaëlle Perrin", "Parfait, merci !"),

    P("Wei Zhang", "Coupure réseau à l'antenne de Grenoble mercredi entre 12 h et 14 h "
      "(intervention de l'opérateur). #numérique #Isère"),

    P("Théo Garnier", "Le portrait de l'association d'aide aux devoirs de Valence a été partagé "
      "150 fois. Merci @Noël Fabre pour la mise en relation ! #communication"),

    P("Véronique Blanc", "L'accord de télétravail révisé est en consultation : deux jours par "
      "semaine, ajustables selon les missions. Les documents sont dans l'espace RH. #RH "
      "#télétravail"),
    C("Zoé Moreau", "Merci pour la consultation ouverte, c'est appréciable."),

    P("Agnès Lemaire", "Quelqu'un sait comment traiter une subvention pluriannuelle ? Une "
      "association a reçu trois ans d'un coup. #comptabilité #subventions"),
    C("Benoît Fournier", "On enregistre la part de l'exercice en produit et le reste en produits "
      "constatés d'avance, selon la convention. Je peux leur expliquer."),
    R("Agnès Lemaire", "Je leur propose un rendez-vous avec toi, merci."),

    P("Raphaël Mercier", "Le comité de pilotage a validé la plateforme savoyarde de prêt de "
      "matériel. Lancement dans un mois ! #Savoie #mutualisation"),

    P("Laëtitia Marchand", "Rencontres régionales : 230 inscrits ! Dernier appel. #événement"),
    E("Laëtitia Marchand", "Rencontres régionales : 230 inscrits ! Il reste 20 places : dernier "
      "appel. #événement"),
    C("Sofia Esposito", "J'ai encore deux partenaires qui veulent venir, je les inscris vite !"),

    P("Cédric Morel", "Les bulletins de paie de ce mois intègrent la nouvelle mutuelle. Vérifiez "
      "bien la ligne « complémentaire santé ». #paie"),

    P("Nathalie Lacroix", "Le groupe des bénévoles seniors de Grenoble propose un tutorat "
      "numérique aux petites associations. Ça vous intéresserait dans d'autres départements ? "
      "#bénévolat #numérique"),
    C("Sébastien Barbier", "Oui, dans la Loire, beaucoup d'assos ont du mal avec les outils en "
      "ligne."),

    P("Solène Vidal", "Campagne « Engagez-vous près de chez vous » : lancement lundi sur nos "
      "réseaux sociaux et dans la presse locale. Merci @Inès Chevalier et @Théo Garnier ! "
      "#communication #bénévolat"),

    P("Aïcha Traoré", "Rappel : les associations employeuses doivent afficher certaines "
      "informations obligatoires (convention collective, horaires, consignes de sécurité). Une "
      "check-list est disponible. #juridique #emploi"),

    P("Karim Benali", "Je prépare une fiche pour installer le certificat Wi-Fi sur un téléphone "
      "Android : quelqu'un a-t-il eu des soucis ? #numérique"),
    C("Léa Bonnet", "Sur mon téléphone, il fallait choisir « Ne pas valider » pour que ça "
      "marche…"),
    R("Karim Benali", "Surtout pas ! Je passe te voir à ta prochaine venue à Lyon, on le "
      "configure correctement."),

    P("Noël Fabre", "Entretiens pour le poste de Valence terminés : nous avons trouvé la perle "
      "rare, qui arrive dans un mois. Merci @Anaïs Faure pour l'organisation. #recrutement "
      "#Drôme"),

    P("Paulo Ferreira", "Les frais de déplacement sont revenus dans le prévisionnel grâce au "
      "covoiturage et aux visios. Merci à tous ! #budget"),

    P("Hugo Renaud", "Nouveauté dans Ruche : les réactions ! Au-delà du 👍, vous pouvez dire "
      "bravo, merci, bonne idée ou soutien. #Ruche"),
    C("Claire Martin", "J'adore le 💡 !"),

    P("Chloé Duval", "Atelier « Recruter des jeunes bénévoles » à l'université : 25 étudiants "
      "intéressés par des missions courtes. Les associations qui cherchent du renfort "
      "ponctuel, contactez-moi ! #bénévolat #jeunesse"),
    C("Gaëlle Perrin", "Super boulot Chloé !"),

    P("Françoise Girard", "Programme du séminaire d'équipe finalisé : visite d'une ferme "
      "associative, ateliers « travailler entre sites » et « outils numériques », et une "
      "soirée conviviale. #séminaire"),

    P("Stéphane Roussel", "Quelqu'un sait comment un club peut accueillir un jeune en service "
      "civique ? Agrément, tutorat, durée… #servicecivique #Isère"),
    C("Chloé Duval", "Je peux témoigner ! Il faut un agrément (ou passer par une structure qui en "
      "a un, comme Alvéole), un tuteur formé et une mission d'intérêt général."),
    C("Gaëlle Perrin", "Et nous pouvons porter l'agrément pour les petites associations du "
      "réseau : parlons-en."),
    R("Stéphane Roussel", "Merci à vous deux, je vous mets en copie avec le club."),

    P("Inès Chevalier", "Le kakémono pour les forums est prêt : 85 × 200 cm, trois exemplaires "
      "imprimés pour les antennes. @Noël Fabre, le tien part demain. #communication"),
    C("Noël Fabre", "Merci Inès !"),

    P("Émilie Giraud", "Nos statuts types sont mis à jour, avec une gouvernance collégiale "
      "possible. À proposer aux associations en création. #juridique #statuts"),

    P("Anaïs Faure", "Rappel : la cooptation est ouverte à tous les salariés. Une prime est "
      "versée si la personne recommandée est recrutée. #recrutement"),

    P("Thi Lan Nguyen", "Nouvelle note sur les associations et le numérique : 70 % utilisent un "
      "outil de gestion des adhérents, mais seulement 25 % forment leurs bénévoles à ces "
      "outils. #études #numérique"),
    C("Nathalie Lacroix", "Ça confirme le besoin de tutorat numérique !"),

    P("Jérémy Caron", "Les barnums sont revenus de la Journée des bénévoles de Saint-Étienne en "
      "bon état. Prochaine sortie : les Rencontres régionales. #logistique"),

    P("Lucas Petit", "Bonjour à toutes et à tous ! Je suis Lucas, développeur, arrivé dans "
      "l'équipe de @Claire Martin. Je travaille surtout à distance et je vais m'occuper des "
      "outils en ligne pour les associations adhérentes. Au plaisir d'échanger ici ! "
      "#bienvenue"),
    C("Hugo Renaud", "Bienvenue Lucas !"),
    C("Zoé Moreau", "Bienvenue dans l'équipe ! On se fait un point visio demain pour te "
      "présenter le code."),
    C("Karim Benali", "Bienvenue ! Ton ordinateur est prêt, il part demain par transporteur."),
    R("Lucas Petit", "Merci à tous pour l'accueil !"),

    P("Sofia Esposito", "Convention de mécénat de compétences signée avec l'entreprise "
      "d'Annecy ! Trois juristes bénévoles rejoignent nos permanences. Merci @Émilie Giraud "
      "pour ton aide. #mécénat #partenariats"),
    C("Émilie Giraud", "Belle collaboration 👏"),

    P("Yasmine Belkacem", "Formation « RGPD pour les associations » avec @Émilie Giraud : 18 "
      "inscrits. Le support sera partagé avec tous après la session. #formation #RGPD"),

    P("Mamadou Diallo", "Trois associations de la Loire déposent un dossier « tiers-lieux ». "
      "Relecture collective jeudi avec @Sébastien Barbier et @Paulo Ferreira. #Loire "
      "#subventions"),

    P("Hélène Dubois", "Besoin de volontaires pour tenir le stand Alvéole au forum des "
      "associations de Lyon : deux créneaux de trois heures. Qui est partant ? #événement"),
    C("Manon Schmitt", "Je prends le créneau du matin."),
    C("Chloé Duval", "Moi aussi !"),
    C("Théo Garnier", "L'après-midi pour moi."),
    R("Hélène Dubois", "Parfait, merci à vous trois !"),

    P("Claire Martin", "Le nouveau système de visioconférence est installé dans toutes les "
      "salles, avec un guide d'une page affiché à côté de chaque écran. #numérique"),

    P("Lucas Petit", "Quelqu'un sait où trouver la liste à jour des associations adhérentes, "
      "pour tester le nouvel annuaire en ligne ? #numérique"),
    C("Thi Lan Nguyen", "Je t'envoie l'extraction de la carte, c'est la plus à jour."),
    R("Lucas Petit", "Merci !"),

    P("Aurélien Dupuis", "Module « Le rôle du président » : je cherche des présidents "
      "d'association drômois prêts à témoigner pendant 20 minutes. #formation #gouvernance"),
    C("Noël Fabre", "Je pense au président du club de basket de Montélimar, il est "
      "passionnant."),

    P("Gaëlle Perrin", "Retour d'expérience : les associations qui publient leurs missions "
      "bénévoles avec une durée et un horaire précis reçoivent trois fois plus de "
      "candidatures. #bénévolat #astuce"),

    P("Wei Zhang", "Renouvellement des certificats Wi-Fi terminé. Si votre ordinateur ne se "
      "connecte plus, oubliez le réseau et reconnectez-vous. #numérique"),

    P("Grégoire Brun", "Une association peut-elle rémunérer ses dirigeants ? Oui, sous "
      "conditions strictes : niveau de ressources, transparence, statuts. Fiche détaillée dans "
      "l'espace juridique. #juridique #gouvernance"),

    P("Solène Vidal", "La campagne « Engagez-vous près de chez vous » a suscité 90 candidatures "
      "de bénévoles en une semaine ! Merci aux associations participantes. #communication "
      "#bénévolat"),
    C("Jérôme Lefèvre", "Magnifique résultat, bravo !"),
    C("Mamadou Diallo", "Les Jardins partagés ont déjà reçu 8 candidatures 🌱"),

    P("Nadia Haddad", "Séminaire : le car part du siège à 8 h précises. Hébergement en chambres "
      "doubles, dites-moi si vous avez une contrainte. #séminaire"),
    C("Raphaël Mercier", "Depuis Chambéry, on vient en voiture avec Léa."),

    P("Benoît Fournier", "Mise en place du paiement en ligne des cotisations des associations "
      "adhérentes : plus de chèques à traiter dès le mois prochain. Merci @Zoé Moreau et "
      "@Lucas Petit ! #comptabilité #numérique"),

    P("Cédric Morel", "Nouveau : vos bulletins de paie sont aussi accessibles depuis votre "
      "téléphone. #paie"),

    P("Léa Bonnet", "Les clubs de sports de montagne ont trouvé leur comptable partagée, "
      "embauchée par un groupement d'employeurs. Merci @Agnès Lemaire pour ton aide "
      "précieuse ! #Savoie #emploi"),
    C("Agnès Lemaire", "Avec plaisir, beau projet !"),

    A("Claire Martin", "**Bienvenue sur Ruche, le réseau interne d'Alvéole**\n\n"
      "Quelques repères pour bien l'utiliser :\n\n"
      "- **publiez** vos actualités, questions et bonnes pratiques depuis la page d'accueil ;\n"
      "- **mentionnez** un collègue avec @ suivi de son nom pour le prévenir ;\n"
      "- **ajoutez des étiquettes** (#subventions, #bénévolat, #formation, etc.) pour que chacun "
      "retrouve les sujets ;\n"
      "- **suivez** depuis l'annuaire les collègues avec qui vous travaillez.\n\n"
      "La charte tient en trois mots : bienveillance, discrétion (aucune donnée personnelle "
      "des adhérents ici) et entraide. Une question ? Écrivez à @Hugo Renaud. Bonne "
      "découverte ! #Ruche"),
    C("Hugo Renaud", "Merci Claire ! N'hésitez pas à poser vos questions ici."),
    C("Jérôme Lefèvre", "Merci pour ce mode d'emploi."),

    P("Zoé Moreau", "Le paiement en ligne des cotisations est en recette. Si vous voulez tester "
      "avec une fausse carte, demandez-moi les numéros de test. #numérique"),

    P("Véronique Blanc", "L'accord de télétravail a été signé. Il entre en vigueur le mois "
      "prochain. #RH #télétravail"),
    C("Lucas Petit", "Bonne nouvelle !"),

    P("Stéphane Roussel", "Premier atelier du groupement d'employeurs grenoblois : 11 "
      "associations présentes, 4 prêtes à s'engager. @Thi Lan Nguyen a présenté les chiffres "
      "de l'enquête. #emploi #Isère"),

    P("Laëtitia Marchand", "Rencontres régionales : complet ! Liste d'attente ouverte, et les "
      "badges sont prêts. #événement"),

    P("Karim Benali", "Astuce : Windows + Maj + S pour capturer une partie de l'écran. Pratique "
      "pour les tickets au support ! #astuce"),
    C("Françoise Girard", "Je découvre, merci !"),

    P("Maëlle Le Gall", "Nettoyage des berges du lac d'Annecy : 320 bénévoles et deux tonnes de "
      "déchets ramassés. Merci aux associations mobilisées ! #bénévolat #HauteSavoie"),
    C("Sofia Esposito", "Une journée incroyable !"),

    P("Benoît Fournier", "Quelqu'un sait comment traiter la TVA sur les ventes de la buvette des "
      "Rencontres ? Je compte sur @Émilie Giraud 😄 #comptabilité #fiscalité"),
    C("Émilie Giraud", "Six manifestations de bienfaisance ou de soutien par an sont exonérées. "
      "On est dans les clous."),
    R("Benoît Fournier", "Parfait, merci !"),

    P("Sébastien Barbier", "Relecture collective des dossiers « tiers-lieux » : trois dossiers "
      "solides. Dépôt la semaine prochaine. #Loire #subventions"),

    P("Théo Garnier", "Nous sommes aussi sur Mastodon désormais. Abonnez-vous et partagez ! "
      "#communication #numérique"),

    P("Jérôme Lefèvre", "Séminaire d'équipe : merci à toutes et à tous pour ces deux jours. Les "
      "ateliers ont produit des propositions concrètes que nous mettrons en œuvre rapidement. "
      "Mention spéciale à @Noël Fabre pour la visite de la ferme associative. #séminaire"),
    C("Noël Fabre", "Merci ! Les Diois étaient ravis de vous accueillir."),
    C("Zoé Moreau", "Très bons moments, merci pour l'organisation @Nadia Haddad !"),
    R("Nadia Haddad", "Merci à vous, c'était un plaisir."),

    P("Yasmine Belkacem", "Le support de la formation RGPD est disponible dans l'espace "
      "formation. Merci @Émilie Giraud ! #RGPD #formation"),

    P("Lucas Petit", "L'annuaire en ligne des associations adhérentes est en test : recherche "
      "par nom, département et domaine d'activité. Vos retours sont bienvenus ! #numérique"),
    C("Stéphane Roussel", "Très pratique ! Petite remarque : les communes nouvelles "
      "n'apparaissent pas."),
    R("Lucas Petit", "Bien vu, je corrige."),

    P("Aïcha Traoré", "Une association peut-elle recevoir un legs ? Oui si elle est reconnue "
      "d'utilité publique, et sous conditions pour les autres. Je prépare une fiche. "
      "#juridique"),

    P("Paulo Ferreira", "Préparation du budget de l'an prochain : les responsables de service "
      "recevront le canevas vendredi. Retour attendu dans trois semaines. #budget"),

    P("Nathalie Lacroix", "Le tutorat numérique s'étend à la Loire ! Merci @Sébastien Barbier "
      "pour la coordination. #bénévolat #numérique"),

    P("Inès Chevalier", "Nouveaux modèles de publications pour les réseaux sociaux, aux couleurs "
      "d'Alvéole et utilisables par les associations adhérentes. #communication"),

    P("Anaïs Faure", "Le nouveau chargé de mission de Valence nous rejoint lundi ! Son compte "
      "Ruche sera créé le jour même. #recrutement #Drôme"),

    P("Hugo Renaud", "Petite enquête : qu'aimeriez-vous voir arriver dans Ruche ? Communautés, "
      "agenda, messagerie… Dites-le en commentaire ! #Ruche"),
    C("Laëtitia Marchand", "Un agenda partagé pour les événements !"),
    C("Raphaël Mercier", "Des communautés par territoire."),
    C("Agnès Lemaire", "La messagerie privée."),
    R("Hugo Renaud", "Bonne nouvelle : tout ça est prévu 😉"),

    P("Mamadou Diallo", "Les trois dossiers « tiers-lieux » de la Loire sont déposés. Réponse "
      "attendue dans deux mois. Croisons les doigts 🤞 #Loire #subventions"),

    P("Agnès Lemaire", "Rappel : les justificatifs des dépenses des projets subventionnés sont à "
      "conserver dix ans. Pensez à l'archivage numérique ! #comptabilité #subventions"),

    P("Léa Bonnet", "C'est officiel : une permanence à la Maison des associations de Chambéry "
      "tous les premiers jeudis du mois. Merci @Raphaël Mercier pour le contact ! #Savoie"),

    P("Zoé Moreau", "Le paiement en ligne des cotisations est en production ! Déjà 14 "
      "associations ont payé depuis ce matin. #numérique"),
    C("Benoît Fournier", "Excellent, merci à toute l'équipe informatique !"),
    C("Claire Martin", "Bravo @Zoé Moreau et @Lucas Petit 👏"),

    P("Gaëlle Perrin", "Le FDVA « formation des bénévoles » ouvre bientôt. Les associations qui "
      "veulent former leurs dirigeants peuvent se préparer dès maintenant : on les accompagne. "
      "#FDVA #formation #subventions"),

    P("Wei Zhang", "Test de restauration des sauvegardes réussi : un serveur complet restauré en "
      "40 minutes. On dort mieux 😴 #sécurité #numérique"),
    C("Claire Martin", "Merci Wei, c'est le genre de test qu'on ne fait jamais assez."),

    P("Théo Garnier", "Le reportage vidéo de la Journée des bénévoles de Saint-Étienne est en "
      "ligne ! Merci @Sébastien Barbier pour les interviews. #communication #Loire"),

    P("Véronique Blanc", "Entretiens annuels : 80 % sont faits. Merci de finaliser les derniers "
      "avant la fin du mois. #RH"),

    P("Grégoire Brun", "Le modèle de convention de mise à disposition de locaux est dans l'espace "
      "juridique. Merci @Maëlle Le Gall pour la relecture. #juridique"),

    P("Sofia Esposito", "Trois nouvelles entreprises d'Annecy s'intéressent au mécénat de "
      "compétences. Le dispositif fait des petits ! #mécénat #HauteSavoie"),

    P("Hélène Dubois", "Rencontres régionales : on cherche des photographes amateurs parmi vous "
      "pour couvrir les ateliers. #événement #communication"),
    C("Raphaël Mercier", "Je peux couvrir l'atelier gouvernance."),
    C("Lucas Petit", "Je prends l'atelier numérique !"),

    P("Aurélien Dupuis", "« Le rôle du président » à Valence : 16 participants et deux "
      "témoignages passionnants. Merci @Noël Fabre pour les contacts. #formation #Drôme"),

    P("Cédric Morel", "Quelqu'un sait comment on calcule la gratification d'un stage ? Une "
      "association accueille un stagiaire pour six mois. #paie #RH"),
    C("Véronique Blanc", "Elle est obligatoire au-delà de deux mois, au taux horaire minimal "
      "légal, et exonérée de cotisations jusqu'à ce seuil."),
    R("Cédric Morel", "Merci !"),

    P("Nadia Haddad", "Les photos du séminaire sont dans l'espace partagé, dossier "
      "« Séminaire ». #séminaire"),

    P("Stéphane Roussel", "Appel à projets du Département : 23 dossiers déposés par des "
      "associations iséroises, un record. #Isère #subventions"),

    P("Claire Martin", "Rappel : l'authentification renforcée arrive pour l'équipe informatique "
      "la semaine prochaine, puis pour tous le mois suivant. #sécurité"),

    P("Thi Lan Nguyen", "La carte interactive des associations est à jour : 1 248 associations. "
      "Merci à tous pour les vérifications. #études"),

    P("Chloé Duval", "25 jeunes bénévoles placés dans des associations lyonnaises en un mois. "
      "Merci aux associations qui leur ont fait confiance ! #bénévolat #jeunesse "
      "#servicecivique"),
    C("Gaëlle Perrin", "Impressionnant, bravo Chloé !"),
    C("Jérôme Lefèvre", "Un vrai succès, merci."),

    P("Karim Benali", "Le nouveau portail du support est en ligne : suivez vos tickets en temps "
      "réel. #numérique"),

    P("Benoît Fournier", "Cotisations : 120 associations ont déjà payé en ligne, et le délai "
      "d'encaissement est passé de 15 jours à 2 jours. #comptabilité #numérique"),

    P("Laëtitia Marchand", "Rencontres régionales : dernière réunion de préparation jeudi à 14 h "
      "avec toute l'équipe. Au programme : accueil, ateliers, logistique. @Jérémy Caron "
      "@Manon Schmitt #événement"),
    C("Jérémy Caron", "Les barnums et la sono seront chargés la veille."),

    P("Joël Masson", "Quelqu'un sait comment obtenir un duplicata de facture chez notre "
      "fournisseur d'énergie ? Leur site a changé… #comptabilité"),
    C("Jérémy Caron", "Il faut passer par l'espace professionnel, rubrique « Documents ». Je te "
      "montre si tu veux."),
    R("Joël Masson", "Trouvé, merci !"),

    P("Yasmine Belkacem", "Le plan de formation de l'an prochain est prêt : vidéo pour les "
      "réseaux sociaux, fiscalité associative et Linux avancé sont au programme 🎉 Merci pour "
      "vos propositions. #formation"),
    C("Karim Benali", "🐧 Merci !"),

    P("Aïcha Traoré", "La fiche « Recevoir un legs ou une donation » est en ligne dans l'espace "
      "juridique. #juridique"),

    P("Noël Fabre", "Le réseau Drôme-Ardèche accueille son nouveau chargé de mission : tournée "
      "des associations la semaine prochaine pour le présenter. #Drôme #Ardèche"),

    P("Inès Chevalier", "La signalétique des Rencontres régionales est imprimée : 40 panneaux et "
      "6 kakémonos. @Jérémy Caron, on charge quand ? #événement"),
    C("Jérémy Caron", "Mercredi 16 h, au quai de chargement."),

    P("Maëlle Le Gall", "Les associations de Haute-Savoie demandent une formation sur la gestion "
      "des conflits dans les bureaux. @Yasmine Belkacem, ce serait possible à Annecy ? "
      "#formation #HauteSavoie"),
    C("Yasmine Belkacem", "Oui ! Je regarde avec un formateur pour le mois prochain."),

    P("Paulo Ferreira", "Les canevas budgétaires sont partis. N'hésitez pas si vous avez des "
      "questions sur les lignes. #budget"),

    P("Hugo Renaud", "Plus de neuf membres sur dix se sont déjà connectés à Ruche. Merci pour "
      "votre participation ! #Ruche"),

    P("Solène Vidal", "Dossier de presse des Rencontres régionales envoyé à 60 journalistes. "
      "Deux radios locales ont déjà confirmé leur venue ! #communication #événement"),

    P("Sébastien Barbier", "Astuce : une annonce de recherche de bénévoles avec une photo de "
      "l'équipe reçoit bien plus de réponses qu'un texte seul. #bénévolat #astuce"),

    P("Lucas Petit", "Correction déployée sur l'annuaire en ligne : les communes nouvelles "
      "apparaissent. Merci @Stéphane Roussel ! #numérique"),

    P("Françoise Girard", "Les propositions du séminaire sont compilées : 12 actions, dont des "
      "communautés par territoire dans Ruche et un temps d'échange mensuel entre antennes. "
      "#séminaire"),
    C("Raphaël Mercier", "Les communautés par territoire, on en parlait justement !"),

    P("Manon Schmitt", "Le standard sera fermé lundi matin pour la formation de l'équipe "
      "d'accueil. Les appels seront redirigés vers la messagerie. #accueil"),

    P("Émilie Giraud", "Webinaire ouvert aux associations adhérentes : « Les contrats de travail "
      "dans les petites associations ». Inscriptions auprès de @Yasmine Belkacem. #juridique "
      "#emploi #formation"),

    P("Anaïs Faure", "Nous accueillerons deux stagiaires, en communication et en comptabilité, "
      "au prochain semestre. Les tuteurs volontaires peuvent se manifester. #recrutement"),
    C("Agnès Lemaire", "Je veux bien tutorer le stage en comptabilité."),

    P("Raphaël Mercier", "La plateforme savoyarde de prêt de matériel est lancée : 150 objets "
      "disponibles, de la tonnelle à la machine à café ! #Savoie #mutualisation"),
    C("Léa Bonnet", "Déjà 9 réservations en deux jours 🎉"),
    C("Jérémy Caron", "Si vous avez besoin de conseils pour l'inventaire, je suis là."),

    P("Nathalie Lacroix", "Merci aux 12 bénévoles tuteurs numériques qui ont accompagné 30 "
      "associations ce trimestre ! #bénévolat #merci"),

    P("Jérôme Lefèvre", "Bonne nouvelle : la Région renouvelle notre convention pluriannuelle "
      "pour trois ans. Merci à toutes les équipes dont le travail a rendu ce résultat possible. "
      "#partenariats #subventions"),
    C("Françoise Girard", "Une excellente nouvelle pour toute la fédération."),
    C("Benoît Fournier", "Et de la visibilité pour le budget, enfin !"),
    C("Claire Martin", "Bravo à tous 👏"),

    P("Laëtitia Marchand", "Les Rencontres régionales, c'est aujourd'hui ! Suivez la journée "
      "avec #RencontresRégionales. Merci à toute l'équipe pour la mobilisation. #événement"),
    C("Solène Vidal", "La plénière est pleine à craquer !"),
    C("Théo Garnier", "Les premières photos arrivent sur les réseaux."),
    C("Gaëlle Perrin", "L'atelier bénévolat affiche complet, super ambiance."),

    P("Hélène Dubois", "Les photos de l'atelier numérique prises par @Lucas Petit sont "
      "superbes ! Album complet demain. #RencontresRégionales"),

    P("Sofia Esposito", "Merci aux partenaires présents aux Rencontres : fondations, "
      "entreprises, collectivités. Beaucoup de contacts prometteurs ! #partenariats "
      "#RencontresRégionales"),

    P("Laëtitia Marchand", "Bilan des Rencontres régionales : 248 participants, 4 ateliers, 35 "
      "intervenants. Merci à @Manon Schmitt, @Jérémy Caron, @Inès Chevalier et à tous les "
      "bénévoles ! #RencontresRégionales #merci"),
    C("Jérôme Lefèvre", "Un immense merci, c'était remarquable."),
    C("Manon Schmitt", "Fatiguée mais ravie 😊"),
    R("Laëtitia Marchand", "Repose-toi bien, tu l'as mérité !"),

    P("Gaëlle Perrin", "Synthèse de l'atelier bénévolat des Rencontres : les associations "
      "veulent des outils simples de gestion des bénévoles et des formations courtes. On s'y "
      "met ! #bénévolat"),

    P("Thi Lan Nguyen", "Questionnaire de satisfaction des Rencontres envoyé aux participants. "
      "Premiers retours : 4,6 sur 5 en moyenne 😊 #études"),

    P("Wei Zhang", "Réseau Wi-Fi invité des Rencontres : 300 appareils connectés en même temps, "
      "zéro coupure. Merci à l'équipe de la Maison des associations. #numérique"),

    P("Agnès Lemaire", "Les recettes de la buvette des Rencontres sont comptées : merci aux "
      "bénévoles ! Le bénéfice ira au fonds de soutien aux petites associations. "
      "#comptabilité"),

    P("Théo Garnier", "La vidéo des Rencontres sort dans dix jours. En attendant, vous pouvez "
      "déjà partager l'album photo. #communication"),

    P("Karim Benali", "Mise à jour des postes de travail mardi soir : laissez vos ordinateurs "
      "allumés et branchés en partant. #numérique"),

    P("Véronique Blanc", "Rappel : une visite médicale périodique est à planifier pour une "
      "dizaine d'entre vous. Vous avez reçu un mail. #RH"),

    P("Mamadou Diallo", "Quelqu'un sait comment créer une association intermédiaire pour "
      "l'insertion ? Un collectif de Saint-Chamond me sollicite. #ESS #Loire #juridique"),
    C("Grégoire Brun", "Elle est conventionnée par l'État : d'abord créer l'association, puis "
      "déposer le dossier de conventionnement. Je te fais une note."),
    C("Thi Lan Nguyen", "J'ai les chiffres des structures d'insertion de la Loire si besoin."),
    R("Mamadou Diallo", "Merci à vous deux !"),

    P("Claire Martin", "Authentification renforcée : l'équipe informatique est passée, tout "
      "s'est bien déroulé. Prochaine étape : la direction. #sécurité"),

    P("Léa Bonnet", "Quelqu'un a un modèle de charte du bénévole, simple et courte ? C'est pour "
      "les clubs de montagne. #bénévolat #Savoie"),
    C("Nathalie Lacroix", "Oui, dans le guide d'accueil des bénévoles, page 12 ! Une page "
      "recto."),
    R("Léa Bonnet", "Parfait, merci Nathalie."),

    P("Aurélien Dupuis", "Calendrier des formations des dirigeants bénévoles du prochain "
      "semestre à Valence : trésorier, président, secrétaire, et un nouveau module « Conduire "
      "un projet ». #formation"),

    P("Benoît Fournier", "Le budget de l'an prochain sera présenté au bureau dans trois "
      "semaines. Merci pour vos retours sur les canevas. #budget"),

    P("Inès Chevalier", "Nouveau kit graphique « adhérent Alvéole » pour les associations : "
      "logo, bandeau de mail et modèle de signature. #communication"),

    P("Zoé Moreau", "Quelqu'un utilise un gestionnaire de mots de passe ? Je prépare une "
      "recommandation pour l'équipe avant l'authentification renforcée. #sécurité #numérique"),
    C("Wei Zhang", "Bitwarden, ou KeePassXC pour ceux qui veulent tout garder en local."),
    C("Paulo Ferreira", "J'ai un carnet… je sais, je sais 😅"),
    R("Zoé Moreau", "On va changer ça ensemble, Paulo 😉"),

    P("Hugo Renaud", "Ruche fête son premier mois ! Merci pour vos publications. Prochaines "
      "étapes : les communautés, puis l'agenda. #Ruche"),
    C("Hélène Dubois", "Vivement les communautés !"),

    P("Stéphane Roussel", "Le groupement d'employeurs grenoblois est créé : cinq associations et "
      "un premier poste de chargée de communication. #emploi #Isère"),
    C("Thi Lan Nguyen", "Super ! Un cas à suivre pour l'enquête de l'an prochain."),

    P("Nadia Haddad", "Le planning des congés de fin d'année est en ligne. Merci de vérifier vos "
      "dates. #RH"),

    P("Sébastien Barbier", "Les associations de la Loire réclament une journée des trésoriers. "
      "Qui est partant pour l'animer ? @Agnès Lemaire @Joël Masson #comptabilité #Loire"),
    C("Joël Masson", "Partant, Saint-Étienne c'est chez moi !"),
    C("Agnès Lemaire", "Je viens aussi."),

    P("Anaïs Faure", "Bienvenue à nos deux nouvelles stagiaires, en communication et en "
      "comptabilité ! #recrutement"),

    P("Maëlle Le Gall", "La formation « gestion des conflits » à Annecy est programmée. Merci "
      "@Yasmine Belkacem ! #formation #HauteSavoie"),

    P("Lucas Petit", "Pour les curieux : l'annuaire en ligne a maintenant une API, documentée "
      "dans l'espace informatique. #numérique"),

    P("Françoise Girard", "Premier temps d'échange mensuel entre antennes vendredi en visio, 30 "
      "minutes : chaque antenne présente une réussite et une difficulté. #séminaire"),

    P("Chloé Duval", "Les jeunes bénévoles recrutés à l'université organisent leur propre soirée "
      "de rencontre. Merci à tous ceux qui m'ont aidée ! #jeunesse #bénévolat"),

    P("Solène Vidal", "La vidéo des Rencontres régionales est en ligne ! Trois minutes de bonne "
      "humeur, partagez-la largement. #communication #RencontresRégionales"),
    C("Laëtitia Marchand", "Superbe, merci à l'équipe com !"),

    P("Joël Masson", "Le rapprochement bancaire du mois est terminé pour Saint-Étienne. Merci "
      "pour vos justificatifs bien nommés 😉 #comptabilité"),

    P("Gaëlle Perrin", "Pensez à partager ici vos réussites, petites ou grandes : c'est fait "
      "pour ça, et ça donne des idées aux autres ! #Ruche"),
};
/* clang-format on */
const size_t demo_feed_len = ARRAY_SIZE(demo_feed);

/* Short comments added here and there to posts that ask nothing (no question mark). */
const char *const demo_feed_comments[] = {
    "Merci pour le partage !",
    "Très utile, merci.",
    "Je relaie auprès de mon équipe.",
    "Bravo 👏",
    "Super nouvelle !",
    "Merci, c'est noté.",
    "Top, merci !",
    "Je transmets aux associations de mon secteur.",
    "Excellente initiative.",
    "Merci pour ce rappel 🙏",
    "Génial, bravo à toute l'équipe !",
    "Je note, merci.",
    "Très bonne idée.",
    "Ça va servir, merci !",
    "Merci, je partage autour de moi.",
    "Chapeau 👏",
};
const size_t demo_feed_comments_len = ARRAY_SIZE(demo_feed_comments);
