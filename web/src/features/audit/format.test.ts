import { describe, expect, it } from 'vitest';
import { actionGroups, actionLabel, checkText, detailLines, detailText, entityHref, entityLabel, formatValue, who } from './format';

const texts = (details: Record<string, unknown>) => detailLines(details).map(detailText);

describe('the audit log in Portuguese', () => {
  it('shows a change as "campo: antes → depois", in the server’s order, with nothing shown as —', () => {
    expect(texts({ preco: { antes: '10.00', depois: '12.50' } })).toEqual(['preco: 10.00 → 12.50']);
    expect(texts({ telefone: { antes: null, depois: '11 3232-1234' }, ativo: { antes: true, depois: false } })).toEqual([
      'telefone: — → 11 3232-1234',
      'ativo: sim → não',
    ]);
    expect(detailLines({ nome: { antes: 'Mercearia', depois: 'Mercearia 2' } })).toEqual([{ field: 'nome', before: 'Mercearia', after: 'Mercearia 2' }]);
  });

  it('shows other facts as "chave: valor": texts, numbers, lists, lists of objects, nested objects', () => {
    expect(texts({ motivo: 'senha incorreta' })).toEqual(['motivo: senha incorreta']);
    expect(
      texts({
        total: '25.00',
        itens: 2,
        pagamentos: [
          { forma: 'dinheiro', valor: '20.00' },
          { forma: 'pix', valor: '5.00' },
        ],
        cliente_id: 3,
        aprovado_por: null,
      }),
    ).toEqual(['total: 25.00', 'itens: 2', 'pagamentos: (forma: dinheiro, valor: 20.00); (forma: pix, valor: 5.00)', 'cliente_id: 3', 'aprovado_por: —']);
    expect(texts({ codigos_de_barras: ['7891000100103', '96385074'], vazio: [], descricao: '' })).toEqual([
      'codigos_de_barras: 7891000100103, 96385074',
      'vazio: —',
      'descricao: (vazio)',
    ]);
    // An object that is not a change (more keys than antes/depois) is a fact like any other.
    expect(texts({ estoque: { antes: '3', depois: '5', motivo: 'contagem' } })).toEqual(['estoque: antes: 3, depois: 5, motivo: contagem']);
    expect(texts({ senha: 'alterada' })).toEqual(['senha: alterada']);
    expect(texts({})).toEqual([]);
    expect(formatValue(undefined)).toBe('—');
  });

  it('names every action the server lists, and reads an unknown one from its code', () => {
    const codes = [
      'login.sucesso', 'login.falha', 'usuario.criado', 'usuario.alterado', 'usuario.excluido', 'categoria.criada', 'categoria.alterada',
      'categoria.excluida', 'produto.criado', 'produto.alterado', 'produto.excluido', 'produto.foto', 'produto.importacao',
      'estoque.movimento', 'cliente.criado', 'cliente.alterado', 'venda.criada', 'venda.cancelada', 'venda.devolucao', 'venda.revisada',
      'configuracoes.alteradas', 'caixa.aberto', 'caixa.movimento', 'caixa.fechado', 'loja.criada', 'loja.alterada', 'terminal.criado',
      'terminal.alterado', 'loja.preco', 'transferencia.enviada', 'transferencia.recebida', 'transferencia.cancelada',
    ];
    const labels = codes.map(actionLabel);
    expect(labels.filter((l, i) => l.toLowerCase() === codes[i])).toEqual([]); // none left as its code
    expect(new Set(labels).size).toBe(codes.length);
    expect(actionLabel('produto.alterado')).toBe('Produto alterado');
    expect(actionLabel('login.falha')).toBe('Login recusado');
    expect(actionLabel('usuario.excluido')).toBe('Usuário excluído');
    expect(actionLabel('caixa.reaberto')).toBe('Caixa reaberto');
    expect(actionLabel('loja.alterada')).toBe('Loja alterada');
    expect(actionLabel('terminal.criado')).toBe('Terminal criado');
    expect(actionLabel('fiscal.nota_emitida')).toBe('Fiscal nota emitida');
  });

  it('groups the actions by area for the filter, in the server’s order', () => {
    expect(actionGroups(['login.sucesso', 'login.falha', 'produto.criado', 'produto.alterado', 'fiscal.emitida'])).toEqual([
      { area: 'login', label: 'Login', actions: [{ code: 'login.sucesso', label: 'Login realizado' }, { code: 'login.falha', label: 'Login recusado' }] },
      { area: 'produto', label: 'Produto', actions: [{ code: 'produto.criado', label: 'Produto criado' }, { code: 'produto.alterado', label: 'Produto alterado' }] },
      { area: 'fiscal', label: 'Fiscal', actions: [{ code: 'fiscal.emitida', label: 'Fiscal emitida' }] },
    ]);
    expect(actionGroups([])).toEqual([]);
  });

  it('says what an entry was done to, links it where the UI shows it, and who did it', () => {
    expect(entityLabel({ entity: 'produto', entity_id: 7 })).toBe('Produto nº 7');
    expect(entityLabel({ entity: 'usuario', entity_id: 1 })).toBe('Usuário nº 1');
    expect(entityLabel({ entity: null, entity_id: null })).toBe('—');
    expect(entityLabel({ entity: 'caixa', entity_id: null })).toBe('Caixa');
    expect(entityLabel({ entity: 'loja', entity_id: 2 })).toBe('Loja nº 2');
    expect(entityLabel({ entity: 'terminal', entity_id: 4 })).toBe('Terminal nº 4');
    expect(entityHref({ entity: 'venda', entity_id: 12 })).toBe('/vendas/12/recibo');
    expect(entityHref({ entity: 'cliente', entity_id: 3 })).toBe('/clientes/3');
    expect(entityHref({ entity: 'produto', entity_id: 7 })).toBe('/produtos/7/movimentos');
    expect(entityHref({ entity: 'usuario', entity_id: 1 })).toBeNull();
    expect(who({ user_id: 1, username: 'admin' })).toEqual({ name: 'admin', note: null });
    expect(who({ user_id: null, username: 'intruso' })).toEqual({ name: 'intruso', note: 'não cadastrado' });
    expect(who({ user_id: null, username: null })).toEqual({ name: 'Operador', note: 'linha de comando' });
  });

  it('"Verificar integridade": intact with the count and the last entry, or the problem', () => {
    const hash = '70c2b3eee92890d06a6753419ae6cbd0153c968c2d092abbcee8ba1a95c132b6';
    expect(checkText({ intact: true, entries: 13, head_id: 13, head_hash: hash, problem: null })).toEqual({
      kind: 'success',
      text: 'Registro íntegro: 13 entradas; última #13, hash 70c2b3eee928…',
    });
    expect(checkText({ intact: true, entries: 1, head_id: 1, head_hash: hash, problem: null }).text).toBe('Registro íntegro: 1 entrada; última #1, hash 70c2b3eee928…');
    expect(checkText({ intact: true, entries: 0, head_id: null, head_hash: null, problem: null }).text).toBe('Registro íntegro: 0 entradas.');
    expect(checkText({ intact: false, entries: 4, head_id: 4, head_hash: hash, problem: 'A entrada #5 foi alterada' })).toEqual({
      kind: 'error',
      text: 'Registro com problema: A entrada #5 foi alterada',
    });
  });
});
